package com.kahula.eventpersister.store;

import com.kahula.eventpersister.event.StoredEvent;
import com.kahula.eventpersister.event.TraceContext;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The events table: its attribute names, its keys and indexes, and the one mapping between an event (with its
 * follow-up state) and its item, both ways; every reader and writer of the table goes through it.
 */
public final class EventTable {

    public static final String UNIQUE_ID = "unique_id";
    public static final String PAYLOAD_HASH = "payload_hash";
    public static final String MBOCDP_ID = "mbocdp_id";
    public static final String AWS_ID = "aws_id";
    public static final String SAGA_ID = "saga_id";
    public static final String EVENT_NAME = "event_name";
    public static final String TIMESTAMP = "timestamp";
    public static final String DOMAIN = "domain";
    public static final String SOURCE = "source";
    public static final String PAYLOAD = "payload";
    public static final String DETAIL_TYPE = "detail_type";
    public static final String RECEIVED_AT = "received_at";
    public static final String FOLLOW_UP_STATUS = "follow_up_status";
    public static final String FOLLOW_UP_ID = "follow_up_id";
    public static final String FOLLOW_UP_TYPE = "follow_up_type";
    public static final String FOLLOW_UP_EMITTED_AT = "follow_up_emitted_at";
    public static final String FOLLOW_UP_ERROR = "follow_up_error";
    /** The trace id the event's message arrived with, 32 hex digits; absent when it came without a trace context. */
    public static final String TRACE_ID = "trace_id";
    /** That context as a W3C traceparent: what a follow-up sent later continues from; absent with {@link #TRACE_ID}. */
    public static final String TRACE_PARENT = "trace_parent";

    /**
     * Present only while the follow-up needs attention, which puts the item in {@link #OUTBOX_INDEX}: {@code
     * pending-00} to {@code pending-15} while PENDING (a shard of the unique id, so that no index partition is hot),
     * {@code rejected} once the bus refused it for its content; removed when the follow-up is EMITTED.
     */
    public static final String FOLLOW_UP_OUTBOX = "follow_up_outbox";

    /** The outbox value of a follow-up the bus refused for its content. */
    public static final String REJECTED_OUTBOX = "rejected";

    /** How many shards the pending follow-ups are spread over; never lowered, or items in the others are not read. */
    public static final int OUTBOX_SHARDS = 16;

    // pending-00 to pending-15, named once rather than formatted for every PENDING write
    private static final List<String> PENDING_SHARDS = IntStream.range(0, OUTBOX_SHARDS)
            .mapToObj("pending-%02d"::formatted)
            .toList();

    /**
     * Sparse index on saga_id + timestamp, keys only: a saga's events in order, whose items are read by their keys;
     * events without a saga are not in it. Keys only, so that an entry is one write unit and a write that changes no
     * key (the follow-up's marks) does not reach the index.
     */
    public static final String SAGA_INDEX = "saga_id-timestamp-keys-index";

    /**
     * Sparse index on follow_up_outbox + received_at, keys only: the follow-ups still PENDING (oldest first in each
     * shard) and those REJECTED, so that finding them costs what is pending, not a scan of the table.
     */
    public static final String OUTBOX_INDEX = "follow_up_outbox-index";

    private EventTable() {}

    /** The table as the service expects it: on-demand, keyed by unique_id, with the saga and outbox indexes. */
    public static CreateTableRequest createTableRequest(String tableName) {
        return CreateTableRequest.builder()
                .tableName(tableName)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(
                        stringAttribute(UNIQUE_ID),
                        stringAttribute(SAGA_ID),
                        stringAttribute(TIMESTAMP),
                        stringAttribute(FOLLOW_UP_OUTBOX),
                        stringAttribute(RECEIVED_AT))
                .keySchema(key(UNIQUE_ID, KeyType.HASH))
                .globalSecondaryIndexes(
                        GlobalSecondaryIndex.builder()
                                .indexName(SAGA_INDEX)
                                .keySchema(key(SAGA_ID, KeyType.HASH), key(TIMESTAMP, KeyType.RANGE))
                                .projection(Projection.builder()
                                        .projectionType(ProjectionType.KEYS_ONLY)
                                        .build())
                                .build(),
                        GlobalSecondaryIndex.builder()
                                .indexName(OUTBOX_INDEX)
                                .keySchema(key(FOLLOW_UP_OUTBOX, KeyType.HASH), key(RECEIVED_AT, KeyType.RANGE))
                                .projection(Projection.builder()
                                        .projectionType(ProjectionType.KEYS_ONLY)
                                        .build())
                                .build())
                .build();
    }

    /** The item {@code event} is stored as, with its follow-up state if a rule matched it. */
    public static Map<String, AttributeValue> item(StoredEvent event, Optional<FollowUpMark> followUp) {
        Map<String, AttributeValue> item = HashMap.newHashMap(17);
        item.put(UNIQUE_ID, string(event.uniqueId()));
        item.put(PAYLOAD_HASH, string(event.payloadHash()));
        putIfPresent(item, MBOCDP_ID, event.mbocdpId());
        item.put(AWS_ID, string(event.awsId()));
        putIfPresent(item, SAGA_ID, event.sagaId());
        item.put(EVENT_NAME, string(event.eventName()));
        item.put(TIMESTAMP, string(event.timestamp()));
        putIfPresent(item, DOMAIN, event.domain());
        item.put(SOURCE, string(event.source()));
        item.put(PAYLOAD, string(event.payload()));
        item.put(DETAIL_TYPE, string(event.detailType()));
        item.put(RECEIVED_AT, string(event.receivedAt()));
        if (event.trace() != null) {
            item.put(TRACE_ID, string(event.trace().traceId()));
            item.put(TRACE_PARENT, string(event.trace().traceparent()));
        }
        followUp.ifPresent(mark -> {
            item.put(FOLLOW_UP_STATUS, string(mark.status().name()));
            item.put(FOLLOW_UP_ID, string(mark.id()));
            item.put(FOLLOW_UP_TYPE, string(mark.type()));
            if (mark.isPending()) {
                item.put(FOLLOW_UP_OUTBOX, string(pendingShard(event.uniqueId())));
            }
        });
        return item;
    }

    /** The outbox shard of a PENDING follow-up: a function of the unique id alone, so every writer agrees. */
    public static String pendingShard(String uniqueId) {
        return pendingShard(Math.floorMod(uniqueId.hashCode(), OUTBOX_SHARDS));
    }

    /** The outbox value of shard {@code shard}, 0 to {@link #OUTBOX_SHARDS} - 1. */
    public static String pendingShard(int shard) {
        return PENDING_SHARDS.get(shard);
    }

    /** A stored item read back: its event and its follow-up state; the inverse of {@link #item}. */
    public static StoredItem storedItem(Map<String, AttributeValue> item) {
        return new StoredItem(storedEvent(item), followUp(item));
    }

    /** The event a stored item holds. */
    public static StoredEvent storedEvent(Map<String, AttributeValue> item) {
        return new StoredEvent(
                text(item, UNIQUE_ID),
                text(item, PAYLOAD_HASH),
                textOrNull(item, MBOCDP_ID),
                text(item, AWS_ID),
                textOrNull(item, SAGA_ID),
                text(item, EVENT_NAME),
                text(item, DETAIL_TYPE),
                text(item, TIMESTAMP),
                textOrNull(item, DOMAIN),
                text(item, SOURCE),
                text(item, PAYLOAD),
                text(item, RECEIVED_AT),
                trace(item));
    }

    private static @Nullable TraceContext trace(Map<String, AttributeValue> item) {
        return TraceContext.fromTraceparent(textOrNull(item, TRACE_PARENT)).orElse(null);
    }

    /** The text of a string attribute the item must have. */
    static String text(Map<String, AttributeValue> item, String name) {
        String value = textOrNull(item, name);
        if (value == null) {
            throw new IllegalArgumentException("the stored item has no " + name);
        }
        return value;
    }

    private static @Nullable String textOrNull(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? null : value.s();
    }

    /** The follow-up state recorded on a stored item, if it has one. */
    public static Optional<FollowUpMark> followUp(Map<String, AttributeValue> item) {
        AttributeValue status = item.get(FOLLOW_UP_STATUS);
        AttributeValue id = item.get(FOLLOW_UP_ID);
        AttributeValue type = item.get(FOLLOW_UP_TYPE);
        if (status == null || id == null || type == null) {
            return Optional.empty();
        }
        return Optional.of(new FollowUpMark(id.s(), type.s(), FollowUpMark.Status.valueOf(status.s())));
    }

    private static void putIfPresent(Map<String, AttributeValue> item, String name, @Nullable String value) {
        if (value != null) {
            item.put(name, string(value));
        }
    }

    private static AttributeValue string(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeDefinition stringAttribute(String name) {
        return AttributeDefinition.builder()
                .attributeName(name)
                .attributeType(ScalarAttributeType.S)
                .build();
    }

    private static KeySchemaElement key(String name, KeyType type) {
        return KeySchemaElement.builder().attributeName(name).keyType(type).build();
    }
}
