package com.kahula.eventpersister.observability;

import static org.assertj.core.api.Assertions.assertThat;

import com.kahula.eventpersister.followup.FollowUp;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class PersisterMetricsTests {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final PersisterMetrics metrics = new PersisterMetrics(registry);

    @Test
    void recordsTheLagFromTheEventsStoredTimeToItsStoring() {
        metrics.stored("2026-11-27T10:00:00.250Z", Instant.parse("2026-11-27T10:00:01.750Z"));

        Timer lag = registry.get(PersisterMetrics.LAG).timer();
        assertThat(lag.count()).isEqualTo(1);
        assertThat(lag.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(1500);
        assertThat(registry.get(PersisterMetrics.EVENTS)
                        .tag("outcome", "stored")
                        .counter()
                        .count())
                .isEqualTo(1);
    }

    @Test
    void countsTheMessagesOfEachPollInFlightUntilEachComesToItsOutcome() {
        metrics.batch(10);
        metrics.batch(3);
        for (int finished = 0; finished < 4; finished++) {
            metrics.processed(metrics.startProcessing());
        }

        assertThat(registry.get(PersisterMetrics.IN_FLIGHT).gauge().value()).isEqualTo(9);
    }

    @Test
    void showsTheEmittedMarksQueuedAsThePipelineTellsThem() {
        AtomicInteger queued = new AtomicInteger(12);
        metrics.marksQueued(queued::get);
        queued.set(8);

        assertThat(registry.get(PersisterMetrics.MARKS_QUEUED).gauge().value()).isEqualTo(8);
    }

    @Test
    void showsTheOldestPendingFollowUpsAgeInSecondsAsTheSweepLastReadIt() {
        AtomicReference<Duration> oldest = new AtomicReference<>(Duration.ZERO);
        metrics.pendingOldest(oldest::get);
        assertThat(registry.get("persister.followups.pending.oldest").gauge().value())
                .isZero();

        oldest.set(Duration.ofMillis(90_500));

        Gauge gauge = registry.get("persister.followups.pending.oldest").gauge();
        assertThat(gauge.value()).isEqualTo(90.5);
        assertThat(gauge.getId().getBaseUnit()).isEqualTo("seconds");
    }

    @Test
    void showsOneWhileTheListenerIsPausedAndZeroOtherwise() {
        AtomicBoolean paused = new AtomicBoolean();
        metrics.listenerPaused(paused::get);
        assertThat(registry.get("persister.listener.paused").gauge().value()).isZero();

        paused.set(true);
        assertThat(registry.get("persister.listener.paused").gauge().value()).isEqualTo(1);

        paused.set(false);
        assertThat(registry.get("persister.listener.paused").gauge().value()).isZero();
    }

    @Test
    void countsRejectedAndSentAgainFollowUpsByTypeAndOutcome() {
        metrics.busRejectedFollowUp("ValidatableEvent");
        metrics.busRejectedFollowUp("ValidatableEvent");
        metrics.sentAgain("ValidatableEvent");
        metrics.sentAgain("IndexableEvent");

        assertThat(followUps("ValidatableEvent", "rejected")).isEqualTo(2);
        assertThat(followUps("ValidatableEvent", "sent-again")).isEqualTo(1);
        assertThat(followUps("IndexableEvent", "sent-again")).isEqualTo(1);
        assertThat(registry.find("persister.followups")
                        .tags("type", "IndexableEvent", "outcome", "rejected")
                        .counter())
                .isNull();
    }

    @Test
    void registersEveryOutcomeOfEachConfiguredFollowUpTypeAtZeroBeforeAnyFollowUp() {
        SimpleMeterRegistry fresh = new SimpleMeterRegistry();
        new PersisterMetrics(fresh, List.of("ValidatableEvent", "IndexableEvent"));

        assertThat(fresh.find("persister.followups").counters())
                .extracting(counter ->
                        counter.getId().getTag("type") + "/" + counter.getId().getTag("outcome"))
                .containsExactlyInAnyOrder(
                        "ValidatableEvent/emitted",
                        "ValidatableEvent/retried",
                        "ValidatableEvent/failed",
                        "ValidatableEvent/unmarked",
                        "ValidatableEvent/rejected",
                        "ValidatableEvent/sent-again",
                        "IndexableEvent/emitted",
                        "IndexableEvent/retried",
                        "IndexableEvent/failed",
                        "IndexableEvent/unmarked",
                        "IndexableEvent/rejected",
                        "IndexableEvent/sent-again");
        assertThat(fresh.find("persister.followups").counters())
                .extracting(Counter::count)
                .containsOnly(0.0);
    }

    @Test
    void countsATypeNoRuleEmitsFromItsFirstFollowUpWithoutRegisteringItsOtherOutcomes() {
        SimpleMeterRegistry fresh = new SimpleMeterRegistry();
        PersisterMetrics configured = new PersisterMetrics(fresh, List.of("ValidatableEvent"));

        configured.busRejectedFollowUp("ValidatableEvent");
        configured.busRejectedFollowUp("RestockEvent");

        assertThat(fresh.get("persister.followups")
                        .tags("type", "ValidatableEvent", "outcome", "rejected")
                        .counter()
                        .count())
                .isEqualTo(1);
        assertThat(fresh.get("persister.followups")
                        .tags("type", "RestockEvent", "outcome", "rejected")
                        .counter()
                        .count())
                .isEqualTo(1);
        assertThat(fresh.find("persister.followups").tag("type", "RestockEvent").counters())
                .hasSize(1);
    }

    @Test
    void countsTheFollowUpsOfEveryTypeTogetherByOutcomeFromStartUp() {
        SimpleMeterRegistry fresh = new SimpleMeterRegistry();
        PersisterMetrics configured = new PersisterMetrics(fresh, List.of("ValidatableEvent"));
        assertThat(fresh.find("persister.followups.all").counters())
                .extracting(counter -> counter.getId().getTag("outcome"))
                .containsExactlyInAnyOrder("emitted", "retried", "failed", "unmarked", "rejected", "sent-again");

        FollowUp validatable = new FollowUp("id-1", "ValidatableEvent", "s", "{}", "cause-1", "rule", null);
        FollowUp restock = new FollowUp("id-2", "RestockEvent", "s", "{}", "cause-2", "rule", null);
        configured.followUpListener().emitted(validatable);
        configured.followUpListener().emitted(restock);
        configured.followUpListener().failed(restock);

        assertThat(fresh.get("persister.followups.all")
                        .tag("outcome", "emitted")
                        .counter()
                        .count())
                .isEqualTo(2);
        assertThat(fresh.get("persister.followups.all")
                        .tag("outcome", "failed")
                        .counter()
                        .count())
                .isEqualTo(1);
        assertThat(fresh.get("persister.followups.all")
                        .tag("outcome", "rejected")
                        .counter()
                        .count())
                .isZero();
    }

    private double followUps(String type, String outcome) {
        return registry.get("persister.followups")
                .tags("type", type, "outcome", outcome)
                .counter()
                .count();
    }
}
