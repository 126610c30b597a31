package com.kahula.eventpersister.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.kahula.eventpersister.event.StoredEvent;
import java.time.Instant;
import java.util.UUID;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;

/** Realistic events of the kahula domains, each with fresh ids so that tests sharing a table do not meet. */
public final class SampleEvents {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SampleEvents() {}

    /** A detail as producers write it: producer id, saga, domain, timestamp and some business fields. */
    public static ObjectNode detail(String domain) {
        ObjectNode detail = JSON.createObjectNode();
        detail.put("id", UUID.randomUUID().toString());
        detail.put("sagaId", UUID.randomUUID().toString());
        detail.put("domain", domain);
        detail.put("timestamp", "2026-11-27T10:00:00.123Z");
        detail.put("sku", "SKU-" + UUID.randomUUID().toString().substring(0, 8));
        detail.put("price", new java.math.BigDecimal("19.90"));
        detail.putArray("tags").add("new").add("summer");
        return detail;
    }

    public static PutEventsRequestEntry entry(String detailType, ObjectNode detail) {
        return PutEventsRequestEntry.builder()
                .source("kahula." + detail.path("domain").asText("test"))
                .detailType(detailType)
                .detail(detail.toString())
                .build();
    }

    /** The envelope a bus rule's SQS target delivers, for tests that write to the queue directly. */
    public static String envelope(String detailType, ObjectNode detail) {
        ObjectNode envelope = JSON.createObjectNode();
        envelope.put("version", "0");
        envelope.put("id", UUID.randomUUID().toString());
        envelope.put("detail-type", detailType);
        envelope.put("source", "kahula." + detail.path("domain").asText("test"));
        envelope.put("account", "000000000000");
        envelope.put("time", Instant.parse("2026-11-27T10:00:00Z").toString());
        envelope.put("region", "us-east-1");
        envelope.putArray("resources");
        envelope.set("detail", detail);
        return envelope.toString();
    }

    /**
     * A stored ProductUpdatedEvent as the store would hold it, with {@code uniqueId} for its ids and received at
     * {@code receivedAt}: for the tests of what reads and sends the outbox.
     */
    public static StoredEvent storedUpdatedEvent(String uniqueId, Instant receivedAt) {
        return new StoredEvent(
                uniqueId,
                "0".repeat(64),
                uniqueId,
                "aws-" + uniqueId,
                null,
                "ProductUpdatedEvent",
                "com.kahula.catalog.ProductUpdatedEvent",
                "2026-11-30T09:00:00.000Z",
                "catalog",
                "kahula.catalog",
                "{\"id\":\"" + uniqueId + "\"}",
                EventOracle.storedTimestamp(receivedAt),
                null);
    }
}
