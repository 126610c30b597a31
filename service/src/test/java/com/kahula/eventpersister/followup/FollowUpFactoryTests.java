package com.kahula.eventpersister.followup;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.kahula.eventpersister.event.StoredEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The follow-up a stored event causes: its detail, its name-based id, its size. Expected ids were computed once by
 * Python, outside the code they check:
 *
 * <pre>
 * follow_up_id() { python3 -c 'import sys,uuid;print(uuid.uuid5(uuid.UUID("6f0b4b8e-3c1d-5e2a-9f47-0d8c2a6b1e53"),sys.argv[1]+"\n"+sys.argv[2]),end="")' "$1" "$2"; }
 * </pre>
 */
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
        // follow_up_id p-1 ValidatableEvent (the command is in the class's Javadoc)
        assertThat(followUp.id()).isEqualTo("43306142-cc90-5f42-b707-3230affe6d8e");
        assertThat(detail.get("id").asText()).isEqualTo("43306142-cc90-5f42-b707-3230affe6d8e");
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

        // follow_up_id p-1 ValidatableEvent, and as each line says
        assertThat(first).isEqualTo("43306142-cc90-5f42-b707-3230affe6d8e");
        assertThat(again).isEqualTo("43306142-cc90-5f42-b707-3230affe6d8e");
        assertThat(otherType).isEqualTo("d25ab461-38ba-50e4-9dc2-1602f278dc6e"); // p-1 IndexableEvent
        assertThat(otherCause).isEqualTo("bd50b830-18b6-593a-a132-5dbd92198aaa"); // p-2 ValidatableEvent
        assertThat(FollowUpFactory.followUpId("0b6f8a52-6a0e-4d55-9a53-8f3c2f1d7e01", "ValidatableEvent"))
                .isEqualTo("4a73bc25-4208-5432-ba4a-a37426803d4f");
        assertThat(FollowUpFactory.followUpId("\u00e9-1", "ValidatableEvent"))
                .as("the name is UTF-8")
                .isEqualTo("2949289b-52cc-5bea-b3fb-b78d9f300804"); // é-1 ValidatableEvent
        assertThat(UUID.fromString(first).version()).isEqualTo(5);
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
                "2026-11-27T10:00:01.000Z",
                null);
    }
}
