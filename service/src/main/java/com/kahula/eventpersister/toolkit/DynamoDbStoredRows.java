package com.kahula.eventpersister.toolkit;

import com.kahula.eventpersister.aws.Batcher;
import com.kahula.eventpersister.event.StoredEvent;
import com.kahula.eventpersister.store.EventTable;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;

/**
 * The stored events a dead letter is compared with, by unique id, read consistently with BatchGetItem (at most 100 keys
 * a call, the unprocessed ones asked again) and mapped by the table's own mapping.
 */
final class DynamoDbStoredRows {

    private static final int MAX_KEYS_PER_CALL = 100;
    private static final int MAX_ROUNDS = 10;

    private final DynamoDbClient dynamoDb;
    private final String tableName;

    DynamoDbStoredRows(DynamoDbClient dynamoDb, String tableName) {
        this.dynamoDb = dynamoDb;
        this.tableName = tableName;
    }

    /** The stored events of these unique ids; an id with no row is absent from the answer. */
    Map<String, StoredEvent> read(Collection<String> uniqueIds) {
        Map<String, StoredEvent> found = new HashMap<>();
        List<String> ids = uniqueIds.stream().distinct().toList();
        for (List<String> call : Batcher.split(ids, MAX_KEYS_PER_CALL, Long.MAX_VALUE, id -> 1)) {
            List<Map<String, AttributeValue>> keys = call.stream()
                    .map(id -> Map.of(EventTable.UNIQUE_ID, AttributeValue.fromS(id)))
                    .toList();
            for (int round = 1; !keys.isEmpty(); round++) {
                if (round > MAX_ROUNDS) {
                    throw new IllegalStateException("DynamoDB left " + keys.size() + " keys unprocessed " + MAX_ROUNDS
                            + " times in a row (throttled): run again later");
                }
                List<Map<String, AttributeValue>> asking = keys;
                BatchGetItemResponse response = dynamoDb.batchGetItem(request -> request.requestItems(Map.of(
                        tableName,
                        KeysAndAttributes.builder()
                                .keys(asking)
                                .consistentRead(true)
                                .build())));
                for (Map<String, AttributeValue> item : response.responses().getOrDefault(tableName, List.of())) {
                    StoredEvent event = EventTable.storedEvent(item);
                    found.put(event.uniqueId(), event);
                }
                KeysAndAttributes left = response.unprocessedKeys().get(tableName);
                keys = left == null ? List.of() : left.keys();
            }
        }
        return found;
    }
}
