package com.kahula.eventpersister.toolkit;

import com.kahula.eventpersister.store.EventTable;
import com.kahula.eventpersister.store.StoredItem;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * The table through DynamoDB: Query on the saga index (keys only) and BatchGetItem of its items, Scan with a filter for a
 * time range.
 */
final class DynamoDbStoredEvents implements StoredEvents {

    // BatchGetItem reads at most 100 keys a call.
    private static final int MAX_KEYS_PER_READ = 100;

    private final DynamoDbClient dynamoDb;
    private final String table;

    DynamoDbStoredEvents(DynamoDbClient dynamoDb, String table) {
        this.dynamoDb = dynamoDb;
        this.table = table;
    }

    @Override
    public Page sagaPage(String sagaId, int size, Optional<SagaPosition> after) {
        // the saga index holds keys only: a page of its keys, then the items they point to
        QueryResponse response = dynamoDb.query(request -> request.tableName(table)
                .indexName(EventTable.SAGA_INDEX)
                .keyConditionExpression("#saga = :saga")
                .expressionAttributeNames(Map.of("#saga", EventTable.SAGA_ID))
                .expressionAttributeValues(Map.of(":saga", AttributeValue.fromS(sagaId)))
                .scanIndexForward(true)
                .limit(size)
                .exclusiveStartKey(after.map(DynamoDbStoredEvents::key).orElse(null)));
        List<Map<String, AttributeValue>> keys = response.items();
        Map<String, Map<String, AttributeValue>> items = items(keys);
        // an item deleted since the index listed it is left out
        List<StoredItem> rows = keys.stream()
                .map(key -> items.get(text(key, EventTable.UNIQUE_ID)))
                .filter(Objects::nonNull)
                .map(EventTable::storedItem)
                .toList();
        boolean more =
                response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty() && !keys.isEmpty();
        return new Page(rows, more ? Optional.of(position(sagaId, keys.getLast())) : Optional.empty());
    }

    /** The items {@code keys} point to, by unique id: BatchGetItem, 100 keys a call, again for those left unprocessed. */
    private Map<String, Map<String, AttributeValue>> items(List<Map<String, AttributeValue>> keys) {
        Map<String, Map<String, AttributeValue>> items = new HashMap<>();
        List<Map<String, AttributeValue>> ids = keys.stream()
                .map(key -> Map.of(EventTable.UNIQUE_ID, AttributeValue.fromS(text(key, EventTable.UNIQUE_ID))))
                .toList();
        for (int from = 0; from < ids.size(); from += MAX_KEYS_PER_READ) {
            List<Map<String, AttributeValue>> left = ids.subList(from, Math.min(from + MAX_KEYS_PER_READ, ids.size()));
            while (!left.isEmpty()) {
                List<Map<String, AttributeValue>> asked = left;
                BatchGetItemResponse read = dynamoDb.batchGetItem(request -> request.requestItems(
                        Map.of(table, KeysAndAttributes.builder().keys(asked).build())));
                read.responses()
                        .getOrDefault(table, List.of())
                        .forEach(item -> items.put(text(item, EventTable.UNIQUE_ID), item));
                KeysAndAttributes unprocessed = read.unprocessedKeys().get(table);
                left = unprocessed == null ? List.of() : unprocessed.keys();
            }
        }
        return items;
    }

    private static SagaPosition position(String sagaId, Map<String, AttributeValue> key) {
        return new SagaPosition(sagaId, text(key, EventTable.TIMESTAMP), text(key, EventTable.UNIQUE_ID));
    }

    /** A key attribute every item and index entry has. */
    private static String text(Map<String, AttributeValue> item, String name) {
        return Objects.requireNonNull(item.get(name), name).s();
    }

    @Override
    public void between(Instant since, Instant until, Consumer<StoredItem> each) {
        // The table has no index on time alone: a Scan reads it all, the filter only trims what comes back.
        dynamoDb.scanPaginator(request -> request.tableName(table)
                        .filterExpression("#time >= :since AND #time < :until")
                        .expressionAttributeNames(Map.of("#time", EventTable.TIMESTAMP))
                        .expressionAttributeValues(Map.of(
                                ":since", AttributeValue.fromS(TimeFormats.stored(since)),
                                ":until", AttributeValue.fromS(TimeFormats.stored(until)))))
                .items()
                .forEach(item -> each.accept(EventTable.storedItem(item)));
    }

    private static Map<String, AttributeValue> key(SagaPosition position) {
        Map<String, AttributeValue> key = new HashMap<>();
        key.put(EventTable.SAGA_ID, AttributeValue.fromS(position.sagaId()));
        key.put(EventTable.TIMESTAMP, AttributeValue.fromS(position.timestamp()));
        key.put(EventTable.UNIQUE_ID, AttributeValue.fromS(position.uniqueId()));
        return key;
    }
}
