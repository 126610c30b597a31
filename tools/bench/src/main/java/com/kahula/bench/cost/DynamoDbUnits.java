package com.kahula.bench.cost;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The write and read units DynamoDB would charge for the calls made on one table, by {@link ItemSizes}' rules, following
 * each item's image through the calls: a write of the table costs by the larger of the item before and after (a failed
 * condition too, with no index written); a write reaches an index when the item enters it, leaves it, changes its key
 * there (two writes) or changes a projected attribute, each costing by the entry's size; a read by the bytes it
 * returned, halved when eventually consistent. Only the table's own calls count; calls on other tables are left out.
 */
public final class DynamoDbUnits {

    /** The table's own units are counted under this name, the indexes' under theirs. */
    public static final String TABLE = "table";

    private static final String PREFIX = "DynamoDB_20120810.";
    private static final Set<String> UNPRICED = Set.of(
            "TransactWriteItems",
            "TransactGetItems",
            "ExecuteStatement",
            "BatchExecuteStatement",
            "ExecuteTransaction");

    private final TableShape shape;
    private final Map<String, Map<String, JsonNode>> images = new HashMap<>();
    private final Map<String, Long> writeUnits = new TreeMap<>();
    private final Map<String, Long> readHalfUnits = new TreeMap<>();
    private final Map<String, Long> requests = new TreeMap<>();

    private DynamoDbUnits(TableShape shape) {
        this.shape = shape;
    }

    /**
     * What {@code calls} (in the order of their answers) cost on the table of {@code shape}, which was empty before
     * them.
     */
    public static TableUnits of(TableShape shape, List<AwsCall> calls) {
        DynamoDbUnits units = new DynamoDbUnits(shape);
        for (AwsCall call : calls) {
            if (call.action().startsWith(PREFIX)) {
                units.count(call);
            }
        }
        return new TableUnits(units.writeUnits, units.readHalfUnits, units.requests, units.storedBytes());
    }

    private long storedBytes() {
        long bytes = 0;
        for (Map<String, JsonNode> item : images.values()) {
            bytes += ItemSizes.item(item) + ItemSizes.PER_ITEM_OVERHEAD;
            for (TableShape.Index index : shape.indexes()) {
                if (index.holds(item)) {
                    bytes += shape.entryBytes(index, item);
                }
            }
        }
        return bytes;
    }

    private void count(AwsCall call) {
        String operation = call.operation();
        JsonNode request = call.requestJson();
        if (UNPRICED.contains(operation)) {
            // a transaction or a PartiQL statement names its tables deep inside: any mention of this one is enough
            if (request.toString().contains("\"" + shape.name() + "\"")) {
                throw new UnsupportedOperationException("the cost model does not price " + operation);
            }
            return;
        }
        boolean batch = operation.startsWith("Batch");
        if (batch
                ? !request.path("RequestItems").has(shape.name())
                : !shape.name().equals(request.path("TableName").asText())) {
            return;
        }
        requests.merge(operation, 1L, Long::sum);
        boolean conditionFailed = !call.succeeded()
                && call.answerJson().path("__type").asText().endsWith("ConditionalCheckFailedException");
        if (!call.succeeded() && !conditionFailed) {
            return; // refused before any work: throttled, invalid, or the service failed
        }
        switch (operation) {
            case "PutItem" -> put(ItemSizes.fields(request.path("Item")), conditionFailed);
            case "UpdateItem" -> update(request, conditionFailed);
            case "DeleteItem" -> delete(ItemSizes.fields(request.path("Key")), conditionFailed);
            case "BatchWriteItem" -> batchWrite(request, call.answerJson());
            // a read costs the whole item, whatever it projects
            case "GetItem" ->
                read(
                        TABLE,
                        stored(
                                ItemSizes.fields(request.path("Key")),
                                call.answerJson().path("Item")),
                        request.path("ConsistentRead").asBoolean());
            case "BatchGetItem" -> batchGet(request, call.answerJson());
            case "Query", "Scan" -> {
                // what came back; a filter's or a projection's leftovers are not seen here
                long bytes = 0;
                for (JsonNode item : call.answerJson().path("Items")) {
                    bytes += ItemSizes.item(ItemSizes.fields(item));
                }
                read(
                        request.path("IndexName").asText(TABLE),
                        bytes,
                        request.path("ConsistentRead").asBoolean());
            }
            default -> {
                // the control plane (DescribeTable, CreateTable, ...): no units
            }
        }
    }

    /** The size of the item at {@code key} as the calls left it, or of what a read returned when it is not known. */
    private long stored(Map<String, JsonNode> key, JsonNode returned) {
        Map<String, JsonNode> image = images.get(key(key));
        return image != null ? ItemSizes.item(image) : sizeOf(returned);
    }

    private void put(Map<String, JsonNode> item, boolean conditionFailed) {
        String key = key(item);
        Map<String, JsonNode> before = images.get(key);
        write(TABLE, ItemSizes.writeUnits(Math.max(ItemSizes.item(item), sizeOf(before))));
        if (!conditionFailed) {
            indexWrites(before, item);
            images.put(key, item);
        }
    }

    private void update(JsonNode request, boolean conditionFailed) {
        Map<String, JsonNode> keyAttributes = ItemSizes.fields(request.path("Key"));
        String key = key(keyAttributes);
        Map<String, JsonNode> before = images.get(key);
        Map<String, String> names = new HashMap<>();
        request.path("ExpressionAttributeNames")
                .properties()
                .forEach(name -> names.put(name.getKey(), name.getValue().asText()));
        Map<String, JsonNode> after = UpdateExpressions.apply(
                before == null ? keyAttributes : before,
                request.path("UpdateExpression").asText(),
                names,
                ItemSizes.fields(request.path("ExpressionAttributeValues")));
        write(TABLE, ItemSizes.writeUnits(Math.max(sizeOf(before), ItemSizes.item(after))));
        if (!conditionFailed) {
            indexWrites(before, after);
            images.put(key, after);
        }
    }

    private void delete(Map<String, JsonNode> keyAttributes, boolean conditionFailed) {
        String key = key(keyAttributes);
        Map<String, JsonNode> before = images.get(key);
        write(TABLE, ItemSizes.writeUnits(sizeOf(before)));
        if (!conditionFailed) {
            indexWrites(before, null);
            images.remove(key);
        }
    }

    private void batchWrite(JsonNode request, JsonNode answer) {
        List<JsonNode> unprocessed =
                ItemSizes.list(answer.path("UnprocessedItems").path(shape.name()));
        for (JsonNode write : request.path("RequestItems").path(shape.name())) {
            if (unprocessed.contains(write)) {
                continue;
            }
            if (write.has("PutRequest")) {
                put(ItemSizes.fields(write.path("PutRequest").path("Item")), false);
            } else {
                delete(ItemSizes.fields(write.path("DeleteRequest").path("Key")), false);
            }
        }
    }

    private void batchGet(JsonNode request, JsonNode answer) {
        JsonNode asked = request.path("RequestItems").path(shape.name());
        boolean consistent = asked.path("ConsistentRead").asBoolean();
        int returned = 0;
        for (JsonNode item : answer.path("Responses").path(shape.name())) {
            Map<String, JsonNode> returnedItem = ItemSizes.fields(item);
            Map<String, JsonNode> key = new HashMap<>();
            shape.keyAttributes().forEach(attribute -> key.put(attribute, returnedItem.get(attribute)));
            read(TABLE, key.containsValue(null) ? ItemSizes.item(returnedItem) : stored(key, item), consistent);
            returned++;
        }
        int missing = asked.path("Keys").size()
                - answer.path("UnprocessedKeys").path(shape.name()).path("Keys").size()
                - returned;
        for (int i = 0; i < missing; i++) {
            read(TABLE, 0, consistent);
        }
    }

    private void indexWrites(Map<String, JsonNode> before, Map<String, JsonNode> after) {
        for (TableShape.Index index : shape.indexes()) {
            boolean was = before != null && index.holds(before);
            boolean is = after != null && index.holds(after);
            if (was && is) {
                boolean keyChanged = index.keyAttributes().stream()
                        .anyMatch(attribute -> !before.get(attribute).equals(after.get(attribute)));
                if (keyChanged) {
                    write(index.name(), ItemSizes.writeUnits(shape.entryBytes(index, before)));
                    write(index.name(), ItemSizes.writeUnits(shape.entryBytes(index, after)));
                } else if (!shape.entry(index, before).equals(shape.entry(index, after))) {
                    write(index.name(), ItemSizes.writeUnits(shape.entryBytes(index, after)));
                }
            } else if (was) {
                write(index.name(), ItemSizes.writeUnits(shape.entryBytes(index, before)));
            } else if (is) {
                write(index.name(), ItemSizes.writeUnits(shape.entryBytes(index, after)));
            }
        }
    }

    private void write(String target, long units) {
        writeUnits.merge(target, units, Long::sum);
    }

    private void read(String target, long bytes, boolean consistent) {
        readHalfUnits.merge(target, ItemSizes.readHalfUnits(bytes, consistent), Long::sum);
    }

    private String key(Map<String, JsonNode> item) {
        StringBuilder key = new StringBuilder();
        for (String attribute : shape.keyAttributes()) {
            JsonNode value = item.get(attribute);
            if (value == null) {
                throw new IllegalArgumentException("an item without its key attribute " + attribute);
            }
            key.append(value).append('\u0000');
        }
        return key.toString();
    }

    private static long sizeOf(Map<String, JsonNode> item) {
        return item == null ? 0 : ItemSizes.item(item);
    }

    private static long sizeOf(JsonNode item) {
        return item.isMissingNode() || item.isNull() ? 0 : ItemSizes.item(ItemSizes.fields(item));
    }
}
