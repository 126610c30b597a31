package com.kahula.bench.cost;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/** What decides a table's write and read units: its key attributes and its global secondary indexes' keys and projections. */
public record TableShape(String name, List<String> keyAttributes, List<Index> indexes) {

    public TableShape {
        Objects.requireNonNull(name, "name");
        keyAttributes = List.copyOf(keyAttributes);
        indexes = List.copyOf(indexes);
        if (keyAttributes.isEmpty()) {
            throw new IllegalArgumentException("a table has a key");
        }
    }

    /**
     * One global secondary index: its key attributes, and the attributes it projects besides the table's and its own
     * keys ({@code projectsAll} for ALL, {@code included} for INCLUDE, neither for KEYS_ONLY).
     */
    public record Index(String name, List<String> keyAttributes, boolean projectsAll, Set<String> included) {

        public Index {
            Objects.requireNonNull(name, "name");
            keyAttributes = List.copyOf(keyAttributes);
            included = Set.copyOf(included);
        }

        /** Whether an item with these attributes has an entry in the index: it has every key attribute of the index. */
        boolean holds(Map<String, JsonNode> item) {
            return item.keySet().containsAll(keyAttributes);
        }
    }

    /** The shape DescribeTable gave. */
    public static TableShape of(TableDescription table) {
        return new TableShape(
                table.tableName(),
                names(table.keySchema()),
                table.globalSecondaryIndexes().stream().map(TableShape::index).toList());
    }

    /** The attributes of {@code item} that {@code index}'s entry holds: the table's keys, the index's, the projected. */
    Map<String, JsonNode> entry(Index index, Map<String, JsonNode> item) {
        if (index.projectsAll()) {
            return item;
        }
        Map<String, JsonNode> entry = new HashMap<>();
        item.forEach((attribute, value) -> {
            if (keyAttributes.contains(attribute)
                    || index.keyAttributes().contains(attribute)
                    || index.included().contains(attribute)) {
                entry.put(attribute, value);
            }
        });
        return entry;
    }

    /** Bytes of the index entry of {@code item}: its attributes plus the entry's overhead. */
    long entryBytes(Index index, Map<String, JsonNode> item) {
        return ItemSizes.item(entry(index, item)) + ItemSizes.PER_ITEM_OVERHEAD;
    }

    private static Index index(GlobalSecondaryIndexDescription index) {
        ProjectionType type = index.projection().projectionType();
        return new Index(
                index.indexName(),
                names(index.keySchema()),
                type == ProjectionType.ALL,
                type == ProjectionType.INCLUDE ? Set.copyOf(index.projection().nonKeyAttributes()) : Set.of());
    }

    private static List<String> names(List<KeySchemaElement> keys) {
        return keys.stream().map(KeySchemaElement::attributeName).toList();
    }
}
