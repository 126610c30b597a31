package com.kahula.eventpersister;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.kahula.eventpersister.embedded.BusEvent;
import com.kahula.eventpersister.followup.FollowUpFactory;
import com.kahula.eventpersister.support.EndToEndTest;
import com.kahula.eventpersister.support.SampleEvents;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Follow-up events through the real listener: emitted once, stored once, never lost while EventBridge misbehaves. */
class FollowUpIT extends EndToEndTest {

    @AfterEach
    void clearFaults() {
        STACK.eventBridge().clearFaults();
    }

    @Test
    void updatedEventGivesOneValidatableEventWhichComesBackAndIsStoredOnce() {
        ObjectNode detail = SampleEvents.detail("catalog");
        String id = detail.get("id").asText();
        String followUpId = FollowUpFactory.followUpId(id, "ValidatableEvent");

        AWS.publish(List.of(SampleEvents.entry("com.kahula.foo.FooUpdatedEvent", detail)));

        await().untilAsserted(() -> {
            assertThat(AWS.column(id, "follow_up_status")).isEqualTo("EMITTED");
            assertThat(AWS.row(followUpId)).isPresent();
        });
        await().during(Duration.ofSeconds(2)).until(() -> AWS.followUpsOf(id).size() == 1);
        BusEvent followUp = AWS.followUpsOf(id).getFirst();
        assertThat(followUp.detailType()).isEqualTo("ValidatableEvent");
        assertThat(followUp.source()).isEqualTo("kahula.event-persister");
        assertThat(followUp.detail().get("id").asText()).isEqualTo(followUpId);
        assertThat(followUp.detail().get("domain").asText()).isEqualTo("catalog");
        assertThat(followUp.detail().get("sagaId").asText())
                .isEqualTo(detail.get("sagaId").asText());
        assertThat(followUp.detail().get("causationEvent").asText()).isEqualTo("FooUpdatedEvent");
        assertThat(followUp.detail().get("payload")).isEqualTo(detail);
        assertThat(AWS.column(id, "follow_up_id")).isEqualTo(followUpId);
        assertThat(AWS.column(id, "follow_up_type")).isEqualTo("ValidatableEvent");
        assertThat(AWS.column(id, "follow_up_emitted_at")).isNotBlank();
        assertThat(AWS.column(followUpId, "event_name")).isEqualTo("ValidatableEvent");
        assertThat(AWS.column(followUpId, "follow_up_status"))
                .as("a follow-up triggers nothing")
                .isNull();
    }

    @Test
    void validatedEventGivesAnIndexableEventWithItsDomain() {
        ObjectNode detail = SampleEvents.detail("pricing");
        String id = detail.get("id").asText();

        AWS.publish(List.of(SampleEvents.entry("com.kahula.bar.BarValidatedEvent", detail)));

        await().untilAsserted(
                        () -> assertThat(AWS.column(id, "follow_up_status")).isEqualTo("EMITTED"));
        assertThat(AWS.followUpsOf(id)).singleElement().satisfies(followUp -> {
            assertThat(followUp.detailType()).isEqualTo("IndexableEvent");
            assertThat(followUp.detail().get("domain").asText()).isEqualTo("pricing");
            assertThat(followUp.detail().get("id").asText())
                    .isEqualTo(FollowUpFactory.followUpId(id, "IndexableEvent"));
        });
    }

    @Test
    void otherEventsGiveNoFollowUp() {
        ObjectNode detail = SampleEvents.detail("pricing");
        String id = detail.get("id").asText();

        AWS.publish(List.of(SampleEvents.entry("com.kahula.pricing.PriceChangedEvent", detail)));

        await().until(() -> AWS.row(id).isPresent());
        await().during(Duration.ofSeconds(1)).until(() -> AWS.followUpsOf(id).isEmpty());
        assertThat(AWS.column(id, "follow_up_status")).isNull();
    }

    @Test
    void everyFollowUpArrivesOnceThroughThrottlingServerErrorsAndAnOutage() {
        var eventBridge = STACK.eventBridge();
        List<String> ids = new ArrayList<>();

        eventBridge.throttleEntries(0.5);
        ids.addAll(sendUpdatedEvents(20));
        long calls = eventBridge.putEventsCalls();
        await().until(() -> eventBridge.putEventsCalls() >= calls + 3);

        eventBridge.failRequests(500);
        ids.addAll(sendUpdatedEvents(20));
        long callsBefore500s = eventBridge.putEventsCalls();
        await().until(() -> eventBridge.putEventsCalls() >= callsBefore500s + 3);

        eventBridge.clearFaults();
        eventBridge.down(true);
        List<String> duringOutage = sendUpdatedEvents(20);
        ids.addAll(duringOutage);
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() ->
                        assertThat(ids).allSatisfy(id -> assertThat(AWS.row(id)).isPresent()));
        await().during(Duration.ofSeconds(20))
                .atMost(Duration.ofSeconds(30))
                .until(() -> duringOutage.stream()
                        .allMatch(id ->
                                AWS.followUpsOf(id).isEmpty() && "PENDING".equals(AWS.column(id, "follow_up_status"))));
        eventBridge.down(false);

        await().atMost(Duration.ofSeconds(90))
                .untilAsserted(() -> assertThat(ids).allSatisfy(id -> {
                    assertThat(AWS.column(id, "follow_up_status")).isEqualTo("EMITTED");
                    assertThat(AWS.row(FollowUpFactory.followUpId(id, "ValidatableEvent")))
                            .isPresent();
                }));
        assertThat(ids)
                .allSatisfy(id -> assertThat(AWS.followUpsOf(id))
                        .isNotEmpty()
                        .allSatisfy(followUp -> assertThat(
                                        followUp.detail().get("id").asText())
                                .isEqualTo(FollowUpFactory.followUpId(id, "ValidatableEvent"))));
        assertThat(AWS.deadLetters()).noneMatch(letter -> ids.stream().anyMatch(letter.body()::contains));
    }

    @Test
    void redeliveredDuplicateStillPendingEmitsAgainWithTheSameIdAndOneEmittedDoesNot() {
        ObjectNode detail = SampleEvents.detail("catalog");
        String id = detail.get("id").asText();
        String body = SampleEvents.envelope("com.kahula.catalog.ProductUpdatedEvent", detail);
        STACK.eventBridge().failRequests(400, "AccessDeniedException");

        AWS.sendToQueue(body);

        await().untilAsserted(
                        () -> assertThat(AWS.column(id, "follow_up_status")).isEqualTo("PENDING"));
        String pendingId = AWS.column(id, "follow_up_id");
        double failed = followUps("failed");
        await().until(() -> followUps("failed") > failed);
        assertThat(AWS.followUpsOf(id)).isEmpty();

        STACK.eventBridge().clearFaults();

        await().untilAsserted(
                        () -> assertThat(AWS.column(id, "follow_up_status")).isEqualTo("EMITTED"));
        assertThat(AWS.followUpsOf(id))
                .singleElement()
                .satisfies(followUp ->
                        assertThat(followUp.detail().get("id").asText()).isEqualTo(pendingId));

        awaitQuiet();
        double duplicates = events("duplicate");
        AWS.sendToQueue(body);
        await().until(() -> events("duplicate") == duplicates + 1);
        await().during(Duration.ofSeconds(1)).until(() -> AWS.followUpsOf(id).size() == 1);
    }

    @Test
    void oversizeFollowUpGoesOutWithoutItsPayload() {
        ObjectNode detail = SampleEvents.detail("catalog").put("description", "x".repeat(20_000));
        String id = detail.get("id").asText();

        AWS.sendToQueue(SampleEvents.envelope("com.kahula.catalog.ProductUpdatedEvent", detail));

        await().untilAsserted(() -> assertThat(AWS.followUpsOf(id)).hasSize(1));
        JsonNode followUp = AWS.followUpsOf(id).getFirst().detail();
        assertThat(followUp.has("payload")).isFalse();
        assertThat(followUp.get("payloadOmitted").asBoolean()).isTrue();
        assertThat(followUp.get("causationId").asText()).isEqualTo(id);
    }

    private List<String> sendUpdatedEvents(int count) {
        return IntStream.range(0, count)
                .mapToObj(i -> {
                    ObjectNode detail = SampleEvents.detail("catalog");
                    AWS.sendToQueue(SampleEvents.envelope("com.kahula.catalog.ProductUpdatedEvent", detail));
                    return detail.get("id").asText();
                })
                .toList();
    }

    private double followUps(String outcome) {
        return meters.find("persister.followups").tag("outcome", outcome).counters().stream()
                .mapToDouble(counter -> counter.count())
                .sum();
    }
}
