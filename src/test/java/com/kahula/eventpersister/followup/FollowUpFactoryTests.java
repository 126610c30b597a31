package com.kahula.eventpersister.followup;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.kahula.eventpersister.event.StoredEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class FollowUpFactoryTests {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-11-27T12:00:00.456Z");
    private final FollowUpFactory factory =
            new FollowUpFactory("kahula.event-persister", FollowUpFactory.MAX_ENTRY_SIZE);

    @Test
    void carriesDomainSagaCausationAndPayloadOfTheSourceEvent() throws Exception {
        StoredEvent cause = storedEvent("p-1", "{\"id\":\"p-1\",\"price\":19.90,\"big\":12345678901234567890}");

        FollowUp followUp = factory.create(cause, "ValidatableEvent", "updated", NOW);

        JsonNode detail = JSON.readTree(followUp.detail());
        assertThat(followUp.type()).isEqualTo("ValidatableEvent");
        assertThat(followUp.source()).isEqualTo("kahula.event-persister");
        assertThat(followUp.causationId()).isEqualTo("p-1");
        assertThat(detail.get("id").asText()).isEqualTo(followUp.id());
        assertThat(detail.get("domain").asText()).isEqualTo("catalog");
        assertThat(detail.get("sagaId").asText()).isEqualTo("saga-1");
        assertThat(detail.get("timestamp").asText()).isEqualTo("2026-11-27T12:00:00.456Z");
        assertThat(detail.get("causationId").asText()).isEqualTo("p-1");
        assertThat(detail.get("causationEvent").asText()).isEqualTo("ProductUpdatedEvent");
        assertThat(followUp.detail()).contains("\"payload\":" + cause.payload());
        assertThat(detail.has("payloadOmitted")).isFalse();
    }

    @Test
    void idIsANameBasedUuidOfTheCauseAndType() {
        StoredEvent cause = storedEvent("p-1", "{\"id\":\"p-1\"}");

        String first = factory.create(cause, "ValidatableEvent", "updated", NOW).id();
        String again = factory.create(cause, "ValidatableEvent", "updated", NOW.plusSeconds(60))
                .id();
        String otherType =
                factory.create(cause, "IndexableEvent", "validated", NOW).id();
        String otherCause = factory.create(storedEvent("p-2", "{\"id\":\"p-2\"}"), "ValidatableEvent", "u", NOW)
                .id();

        assertThat(UUID.fromString(first).version()).isEqualTo(5);
        assertThat(again).isEqualTo(first).isEqualTo(FollowUpFactory.followUpId("p-1", "ValidatableEvent"));
        assertThat(otherType).isNotEqualTo(first);
        assertThat(otherCause).isNotEqualTo(first);
    }

    @Test
    void leavesThePayloadOutOfAnEntryOverTheSizeLimit() throws Exception {
        String blob = "é".repeat(70_000); // 140 000 bytes in UTF-8: the characters alone would fit
        StoredEvent cause = storedEvent("p-1", "{\"id\":\"p-1\",\"blob\":\"" + blob + blob + "\"}");

        FollowUp followUp = factory.create(cause, "ValidatableEvent", "updated", NOW);

        JsonNode detail = JSON.readTree(followUp.detail());
        assertThat(detail.has("payload")).isFalse();
        assertThat(detail.get("payloadOmitted").asBoolean()).isTrue();
        assertThat(detail.get("causationId").asText()).isEqualTo("p-1");
        assertThat(followUp.entrySize()).isLessThanOrEqualTo(FollowUpFactory.MAX_ENTRY_SIZE);
    }

    @Test
    void countsEntrySizeInUtf8Bytes() {
        FollowUp followUp = factory.create(storedEvent("p-1", "{\"name\":\"Zoë\"}"), "ValidatableEvent", "u", NOW);

        int expected = followUp.source().length()
                + followUp.type().length()
                + followUp.detail().getBytes(StandardCharsets.UTF_8).length
                + 14;
        assertThat(followUp.entrySize()).isEqualTo(expected);
    }

    private static StoredEvent storedEvent(String id, String payload) {
        return new StoredEvent(
                id,
                "0".repeat(64),
                id,
                "bus-" + id,
                "saga-1",
                "ProductUpdatedEvent",
                "com.kahula.catalog.ProductUpdatedEvent",
                "2026-11-27T10:00:00.000Z",
                "catalog",
                "kahula.catalog",
                payload,
                "2026-11-27T10:00:01.000Z");
    }
}
