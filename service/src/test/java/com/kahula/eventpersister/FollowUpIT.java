package com.kahula.eventpersister;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.kahula.eventpersister.observability.AwsAccessHealthIndicator;
import com.kahula.eventpersister.support.EndToEndTest;
import com.kahula.eventpersister.support.EventOracle;
import com.kahula.eventpersister.support.SampleEvents;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.contributor.Status;

/**
 * Follow-up events on the embedded stack: the shared scenarios, and what only its EventBridge emulator can do: throttle,
 * fail and go down, while every follow-up is still emitted, stored once and never lost.
 */
class FollowUpIT extends EndToEndTest implements FollowUpScenarios {

    @Autowired
    private AwsAccessHealthIndicator awsAccess;

    @AfterEach
    void clearFaults() {
        STACK.eventBridge().clearFaults();
    }

    @Test
    void recordsAFollowUpTheBusRefusesForItsContentOnTheStoredItemAndParksNothing() {
        awaitQuiet();
        ObjectNode detail = SampleEvents.detail("catalog");
        String id = detail.get("id").asText();
        double rejected = followUps("rejected");

        STACK.eventBridge().rejectEntries("MalformedDetail");
        try {
            AWS.sendToQueue(SampleEvents.envelope("com.kahula.catalog.ProductUpdatedEvent", detail));
            await().atMost(Duration.ofSeconds(20)).until(() -> "REJECTED".equals(AWS.column(id, "follow_up_status")));
        } finally {
            STACK.eventBridge().clearFaults();
        }
        assertThat(AWS.column(id, "follow_up_error")).contains("MalformedDetail");
        assertThat(AWS.column(id, "follow_up_outbox")).isEqualTo("rejected");
        assertThat(followUps("rejected")).isEqualTo(rejected + 1);
        awaitQuiet();
        assertThat(AWS.deadLetterContaining(id)).as("parked").isEmpty();
        assertThat(AWS.followUpsOf(id)).as("follow-ups on the bus").isEmpty();
    }

    @Test
    void aFollowUpTheBusRefusesForTheServicesFaultParksNothingAndShowsInReadinessUntilItIsBack() {
        awaitQuiet();
        ObjectNode detail = SampleEvents.detail("catalog");
        String id = detail.get("id").asText();

        STACK.eventBridge().rejectEntries("NotAuthorizedForSourceException");
        try {
            AWS.sendToQueue(SampleEvents.envelope("com.kahula.catalog.ProductUpdatedEvent", detail));
            await().atMost(Duration.ofSeconds(20))
                    .untilAsserted(() -> assertThat(awsAccess.health().getDetails())
                            .extractingByKey("EventBridge")
                            .asString()
                            .contains("NotAuthorizedForSourceException"));
            assertThat(AWS.column(id, "follow_up_status")).isEqualTo("PENDING");
        } finally {
            STACK.eventBridge().clearFaults();
        }

        // the message was acknowledged once the event was stored; the sweeper sends the follow-up past its grace period
        await().atMost(Duration.ofSeconds(30)).until(() -> "EMITTED".equals(AWS.column(id, "follow_up_status")));
        await().atMost(Duration.ofSeconds(10)).until(() -> awsAccess.health().getStatus() == Status.UP);
        assertThat(AWS.deadLetterContaining(id)).isEmpty();
    }

    @Test
    void everyFollowUpArrivesOnceThroughThrottlingServerErrorsAndAnOutage() {
        var eventBridge = STACK.eventBridge();
        List<String> ids = new ArrayList<>();

        eventBridge.throttleEntries(0.5);
        ids.addAll(sendUpdatedEvents(20));
        long calls = eventBridge.putEventsCalls();
        // the sweeper sends what the batch could not, past the e2e profile's grace period
        await().atMost(Duration.ofSeconds(30)).until(() -> eventBridge.putEventsCalls() >= calls + 3);

        eventBridge.failRequests(500);
        ids.addAll(sendUpdatedEvents(20));
        long callsBefore500s = eventBridge.putEventsCalls();
        await().atMost(Duration.ofSeconds(30)).until(() -> eventBridge.putEventsCalls() >= callsBefore500s + 3);

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
                    assertThat(AWS.row(EventOracle.followUpId(id, "ValidatableEvent")))
                            .isPresent();
                }));
        assertThat(ids)
                .allSatisfy(id -> assertThat(AWS.followUpsOf(id))
                        .isNotEmpty()
                        .allSatisfy(followUp -> assertThat(
                                        followUp.detail().get("id").asText())
                                .isEqualTo(EventOracle.followUpId(id, "ValidatableEvent"))));
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
