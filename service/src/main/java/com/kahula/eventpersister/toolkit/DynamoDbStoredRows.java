package com.kahula.eventpersister.toolkit;

import com.kahula.eventpersister.store.EventTable;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;

/**
 * The stored rows a dead letter is compared with, by unique id: their payload hash and payload, read consistently with
 * BatchGetItem (at most 100 keys a call, the unprocessed ones asked again).
 */
final class DynamoDbStoredRows {

    private static final int MAX_KEYS_PER_CALL = 100;
    private static final int MAX_ROUNDS = 10;

    /** What a stored row holds that a dead letter is compared with. */
    record Stored(String payloadHash, String payload) {
        Stored {
            Objects.requireNonNull(payloadHash, "payloadHash");
            Objects.requireNonNull(payload, "payload");
        }
    }

    private final DynamoDbClient dynamoDb;
    private final String tableName;

    DynamoDbStoredRows(DynamoDbClient dynamoDb, String tableName) {
        this.dynamoDb = dynamoDb;
        this.tableName = tableName;
    }

    /** The stored rows of these unique ids; an id with no row is absent from the answer. */
    Map<String, Stored> read(Collection<String> uniqueIds) {
        List<String> ids = uniqueIds.stream().distinct().toList();
        Map<String, Stored> found = new HashMap<>();
        for (int from = 0; from < ids.size(); from += MAX_KEYS_PER_CALL) {
            List<Map<String, AttributeValue>> keys =
                    ids.subList(from, Math.min(from + MAX_KEYS_PER_CALL, ids.size())).stream()
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
                                .projectionExpression(String.join(
                                        ",", EventTable.UNIQUE_ID, EventTable.PAYLOAD_HASH, EventTable.PAYLOAD))
                                .build())));
                for (Map<String, AttributeValue> item : response.responses().getOrDefault(tableName, List.of())) {
                    found.put(
                            text(item, EventTable.UNIQUE_ID),
                            new Stored(text(item, EventTable.PAYLOAD_HASH), text(item, EventTable.PAYLOAD)));
                }
                KeysAndAttributes left = response.unprocessedKeys().get(tableName);
                keys = left == null ? List.of() : left.keys();
            }
        }
        return found;
    }

    private static String text(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        if (value == null || value.s() == null) {
            throw new IllegalStateException("a stored item has no " + name);
        }
        return value.s();
    }
}
