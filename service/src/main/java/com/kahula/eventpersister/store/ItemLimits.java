package com.kahula.eventpersister.store;

import com.kahula.eventpersister.event.StoredEvent;
import com.kahula.eventpersister.event.Utf8;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** DynamoDB's limits on an item and its keys, checked before a write that could not succeed. */
public final class ItemLimits {

    // DynamoDB's limits, in UTF-8 bytes: a partition key (of the table or an index) 2048, a sort key 1024, an item
    // 400 KB counting attribute names and values.
    private static final long MAX_PARTITION_KEY_BYTES = 2048;
    private static final long MAX_SORT_KEY_BYTES = 1024;
    private static final long MAX_ITEM_BYTES = 400 * 1024;

    private ItemLimits() {}

    /** Which of DynamoDB's limits the item of {@code event}, without follow-up columns, breaks, if any. */
    public static Optional<String> broken(StoredEvent event) {
        return broken(EventTable.item(event, Optional.empty()));
    }

    /**
     * Which of DynamoDB's limits the item breaks, if any, checked before the call: the store's own answer stays the
     * authority, this only spares a call that cannot succeed.
     */
    static Optional<String> broken(Map<String, AttributeValue> item) {
        for (String key : new String[] {EventTable.UNIQUE_ID, EventTable.SAGA_ID}) {
            AttributeValue value = item.get(key);
            if (value != null && Utf8.length(value.s()) > MAX_PARTITION_KEY_BYTES) {
                return Optional.of("%s is %d bytes in UTF-8, over DynamoDB's %d for a partition key"
                        .formatted(key, Utf8.length(value.s()), MAX_PARTITION_KEY_BYTES));
            }
        }
        AttributeValue timestamp = item.get(EventTable.TIMESTAMP);
        if (timestamp != null && Utf8.length(timestamp.s()) > MAX_SORT_KEY_BYTES) {
            return Optional.of("timestamp is over DynamoDB's %d bytes for a sort key".formatted(MAX_SORT_KEY_BYTES));
        }
        long size = 0;
        for (Map.Entry<String, AttributeValue> attribute : item.entrySet()) {
            size += Utf8.length(attribute.getKey())
                    + Utf8.length(attribute.getValue().s());
        }
        if (size > MAX_ITEM_BYTES) {
            return Optional.of("the item is %d bytes, over DynamoDB's %d".formatted(size, MAX_ITEM_BYTES));
        }
        return Optional.empty();
    }
}
