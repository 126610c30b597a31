package com.kahula.eventpersister.toolkit;

import com.kahula.eventpersister.store.EventTable;
import com.kahula.eventpersister.store.StoredItem;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/** The table through DynamoDB: Query on the saga index, Scan with a filter for a time range. */
final class DynamoDbStoredEvents implements StoredEvents {

    private final DynamoDbClient dynamoDb;
    private final String table;

    DynamoDbStoredEvents(DynamoDbClient dynamoDb, String table) {
        this.dynamoDb = dynamoDb;
        this.table = table;
    }

    @Override
    public Page sagaPage(String sagaId, int size, Optional<SagaPosition> after) {
        QueryResponse response = dynamoDb.query(request -> request.tableName(table)
                .indexName(EventTable.SAGA_INDEX)
                .keyConditionExpression("#saga = :saga")
                .expressionAttributeNames(Map.of("#saga", EventTable.SAGA_ID))
                .expressionAttributeValues(Map.of(":saga", AttributeValue.fromS(sagaId)))
                .scanIndexForward(true)
                .limit(size)
                .exclusiveStartKey(after.map(DynamoDbStoredEvents::key).orElse(null)));
        List<StoredItem> rows =
                response.items().stream().map(EventTable::storedItem).toList();
        boolean more =
                response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty() && !rows.isEmpty();
        return new Page(
                rows, more ? Optional.of(SagaPosition.after(rows.getLast().event())) : Optional.empty());
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
