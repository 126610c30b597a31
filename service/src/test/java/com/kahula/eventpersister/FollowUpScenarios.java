package com.kahula.eventpersister;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.kahula.eventpersister.support.EndToEnd;
import com.kahula.eventpersister.support.EventOracle;
import com.kahula.eventpersister.support.SampleEvents;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Follow-up events through the real listener and the real bus rule: emitted, come back, stored once. Written once, run
 * on the embedded stack ({@link FollowUpIT}) and on LocalStack ({@link LocalStackIT}); where the stack shows what its
 * bus accepted, they also check that exactly one follow-up went out.
 */
interface FollowUpScenarios extends EndToEnd {

    @Test
    default void updatedEventGivesOneValidatableEventWhichComesBackAndIsStoredOnce() {
        ObjectNode detail = SampleEvents.detail("catalog");
        String id = detail.get("id").asText();
        String followUpId = EventOracle.followUpId(id, "ValidatableEvent");

        aws().publish(List.of(SampleEvents.entry("com.kahula.foo.FooUpdatedEvent", detail)));

        await().untilAsserted(() -> {
            assertThat(aws().column(id, "follow_up_status")).isEqualTo("EMITTED");
            assertThat(aws().row(followUpId)).isPresent();
        });
        assertThat(aws().storedFollowUpsOf(id)).singleElement().satisfies(followUp -> {
            assertThat(followUp.detailType()).isEqualTo("ValidatableEvent");
            assertThat(followUp.source()).isEqualTo("kahula.event-persister");
            assertThat(followUp.detail().get("id").asText()).isEqualTo(followUpId);
            assertThat(followUp.detail().get("domain").asText()).isEqualTo("catalog");
            assertThat(followUp.detail().get("sagaId").asText())
                    .isEqualTo(detail.get("sagaId").asText());
            assertThat(followUp.detail().get("causationEvent").asText()).isEqualTo("FooUpdatedEvent");
            assertThat(followUp.detail().get("payload")).isEqualTo(detail);
        });
        if (aws().recordsBusEvents()) {
            await().during(Duration.ofSeconds(2))
                    .until(() -> aws().followUpsOf(id).size() == 1);
        }
        assertThat(aws().column(id, "follow_up_id")).isEqualTo(followUpId);
        assertThat(aws().column(id, "follow_up_type")).isEqualTo("ValidatableEvent");
        assertThat(aws().column(id, "follow_up_emitted_at")).isNotBlank();
        assertThat(aws().column(followUpId, "event_name")).isEqualTo("ValidatableEvent");
        assertThat(aws().column(followUpId, "follow_up_status"))
                .as("a follow-up triggers nothing")
                .isNull();
    }

    @Test
    default void validatedEventGivesAnIndexableEventWithItsDomain() {
        ObjectNode detail = SampleEvents.detail("pricing");
        String id = detail.get("id").asText();

        aws().publish(List.of(SampleEvents.entry("com.kahula.bar.BarValidatedEvent", detail)));

        await().untilAsserted(() -> assertThat(aws().storedFollowUpsOf(id)).hasSize(1));
        assertThat(aws().storedFollowUpsOf(id)).singleElement().satisfies(followUp -> {
            assertThat(followUp.detailType()).isEqualTo("IndexableEvent");
            assertThat(followUp.detail().get("domain").asText()).isEqualTo("pricing");
            assertThat(followUp.detail().get("id").asText()).isEqualTo(EventOracle.followUpId(id, "IndexableEvent"));
        });
        await().untilAsserted(
                        () -> assertThat(aws().column(id, "follow_up_status")).isEqualTo("EMITTED"));
    }

    @Test
    default void otherEventsGiveNoFollowUp() {
        ObjectNode detail = SampleEvents.detail("pricing");
        String id = detail.get("id").asText();

        aws().publish(List.of(SampleEvents.entry("com.kahula.pricing.PriceChangedEvent", detail)));

        await().until(() -> aws().row(id).isPresent());
        await().during(Duration.ofSeconds(1))
                .until(() -> aws().storedFollowUpsOf(id).isEmpty());
        if (aws().recordsBusEvents()) {
            assertThat(aws().followUpsOf(id)).isEmpty();
        }
        assertThat(aws().column(id, "follow_up_status")).isNull();
    }

    @Test
    default void oversizeFollowUpGoesOutWithoutItsPayload() {
        ObjectNode detail = SampleEvents.detail("catalog").put("description", "x".repeat(20_000));
        String id = detail.get("id").asText();

        aws().sendToQueue(SampleEvents.envelope("com.kahula.catalog.ProductUpdatedEvent", detail));

        await().untilAsserted(() -> assertThat(aws().storedFollowUpsOf(id)).hasSize(1));
        JsonNode followUp = aws().storedFollowUpsOf(id).getFirst().detail();
        assertThat(followUp.has("payload")).isFalse();
        assertThat(followUp.get("payloadOmitted").asBoolean()).isTrue();
        assertThat(followUp.get("causationId").asText()).isEqualTo(id);
    }
}
