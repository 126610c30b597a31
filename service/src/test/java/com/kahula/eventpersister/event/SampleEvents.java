package com.kahula.eventpersister.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.time.Instant;

/** Builds the EventBridge envelopes the tests parse, starting from the documented example. */
final class SampleEvents {

    static final Instant RECEIVED_AT = Instant.parse("2026-11-27T10:00:01.5Z");

    static final String EXAMPLE = """
            {"version":"0","id":"6a7e8feb-b491-4cf7-a9f1-bf3703467718",
             "detail-type":"com.kahula.catalog.ProductUpdatedEvent",
             "source":"kahula.catalog","account":"111122223333","time":"2026-11-27T10:00:00Z","region":"eu-west-1",
             "resources":[],
             "detail":{"id":"evt-42","sagaId":"saga-7","domain":"catalog",
                       "timestamp":"2026-11-27T10:00:00.123Z","sku":"SKU-1","price":12.50}}
            """;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private SampleEvents() {}

    /** The example envelope as a tree the test may change. */
    static ObjectNode envelope() {
        try {
            return (ObjectNode) MAPPER.readTree(EXAMPLE);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The example envelope with {@code detail} replaced by the given JSON text (kept verbatim). */
    static String envelopeWithDetail(String detailJson) {
        ObjectNode envelope = envelope();
        envelope.remove("detail");
        String withoutDetail = body(envelope);
        return withoutDetail.substring(0, withoutDetail.length() - 1) + ",\"detail\":" + detailJson + "}";
    }

    static String body(ObjectNode envelope) {
        try {
            return MAPPER.writeValueAsString(envelope);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectNode detail(ObjectNode envelope) {
        return (ObjectNode) envelope.get("detail");
    }
}
