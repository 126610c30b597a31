package com.kahula.eventpersister.toolkit;

import com.kahula.eventpersister.store.EventTable;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
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
        List<StoredRow> rows =
                response.items().stream().map(DynamoDbStoredEvents::row).toList();
        boolean more =
                response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty() && !rows.isEmpty();
        return new Page(rows, more ? Optional.of(SagaPosition.after(rows.getLast())) : Optional.empty());
    }

    @Override
    public void between(Instant since, Instant until, Consumer<StoredRow> each) {
        // The table has no index on time alone: a Scan reads it all, the filter only trims what comes back.
        dynamoDb.scanPaginator(request -> request.tableName(table)
                        .filterExpression("#time >= :since AND #time < :until")
                        .expressionAttributeNames(Map.of("#time", EventTable.TIMESTAMP))
                        .expressionAttributeValues(Map.of(
                                ":since", AttributeValue.fromS(Times.stored(since)),
                                ":until", AttributeValue.fromS(Times.stored(until)))))
                .items()
                .forEach(item -> each.accept(row(item)));
    }

    private static Map<String, AttributeValue> key(SagaPosition position) {
        Map<String, AttributeValue> key = new HashMap<>();
        key.put(EventTable.SAGA_ID, AttributeValue.fromS(position.sagaId()));
        key.put(EventTable.TIMESTAMP, AttributeValue.fromS(position.timestamp()));
        key.put(EventTable.UNIQUE_ID, AttributeValue.fromS(position.uniqueId()));
        return key;
    }

    private static StoredRow row(Map<String, AttributeValue> item) {
        return new StoredRow(
                text(item, EventTable.UNIQUE_ID),
                text(item, EventTable.TIMESTAMP),
                text(item, EventTable.EVENT_NAME),
                text(item, EventTable.DETAIL_TYPE),
                text(item, EventTable.SOURCE),
                optional(item, EventTable.SAGA_ID),
                optional(item, EventTable.MBOCDP_ID),
                text(item, EventTable.AWS_ID),
                text(item, EventTable.PAYLOAD_HASH),
                optional(item, EventTable.FOLLOW_UP_STATUS),
                text(item, EventTable.PAYLOAD));
    }

    private static String text(Map<String, AttributeValue> item, String column) {
        String value = optional(item, column);
        if (value == null) {
            throw new IllegalStateException("an item of the table lacks its " + column);
        }
        return value;
    }

    private static @Nullable String optional(Map<String, AttributeValue> item, String column) {
        AttributeValue value = item.get(column);
        return value == null ? null : value.s();
    }
}
