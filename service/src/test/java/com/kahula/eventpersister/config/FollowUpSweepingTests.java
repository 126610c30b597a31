package com.kahula.eventpersister.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.kahula.eventpersister.event.StoredEvent;
import com.kahula.eventpersister.followup.FollowUp;
import com.kahula.eventpersister.followup.FollowUpFactory;
import com.kahula.eventpersister.followup.FollowUpPublisher;
import com.kahula.eventpersister.followup.FollowUpRules;
import com.kahula.eventpersister.followup.Publication;
import com.kahula.eventpersister.listener.FollowUpSweeper;
import com.kahula.eventpersister.listener.FollowUpTracing;
import com.kahula.eventpersister.listener.Outcome;
import com.kahula.eventpersister.listener.OutcomeListener;
import com.kahula.eventpersister.store.FollowUpMark;
import com.kahula.eventpersister.store.FollowUpOutbox;
import com.kahula.eventpersister.support.EventOracle;
import com.kahula.eventpersister.support.MovableClock;
import com.kahula.eventpersister.support.SampleEvents;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;

/**
 * The sweep's schedule and gauge on fakes of the outbox and the bus: the oldest PENDING follow-up's age as the index
 * tells it, a sweep only of what is older than the grace period, nothing while the listener is paused, and a failing
 * sweep logged at most once a minute.
 */
class FollowUpSweepingTests {

    private static final Duration GRACE = Duration.ofMinutes(2);
    private static final String TYPE = "ValidatableEvent";

    private final MovableClock clock = new MovableClock(Instant.parse("2026-11-30T10:00:00Z"));
    private final FakeOutbox outbox = new FakeOutbox();
    private final AtomicBoolean paused = new AtomicBoolean();
    private final FollowUpSweeping sweeping = new FollowUpSweeping(
            new FollowUpSweeper(
                    outbox,
                    new FollowUpRules(List.of(), "kahula.event-persister"),
                    new FollowUpFactory("kahula.event-persister", 262_144),
                    new AcceptingBus(),
                    new SilentListener(),
                    FollowUpTracing.NONE,
                    clock),
            outbox,
            paused::get,
            Duration.ofMillis(100),
            GRACE,
            clock);
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(FollowUpSweeping.class);

    @BeforeEach
    void capture() {
        lines.start();
        logger.addAppender(lines);
    }

    @AfterEach
    void release() {
        sweeping.stop();
        logger.detachAppender(lines);
    }

    @Test
    void theGaugeIsTheAgeOfTheOldestPendingFollowUpAndNothingIsSentWithinTheGrace() {
        outbox.pending("e-1", clock.instant().minusSeconds(90));
        outbox.pending("e-2", clock.instant().minusSeconds(30));

        sweeping.pass();

        assertThat(sweeping.oldestAge()).isEqualTo(Duration.ofSeconds(90));
        assertThat(outbox.queriedBefore).isEmpty();
        assertThat(outbox.pendingIds()).containsExactlyInAnyOrder("e-1", "e-2");
    }

    @Test
    void theGaugeIsZeroWhenNothingIsPendingOrTheOldestIsAheadOfTheClock() {
        sweeping.pass();
        assertThat(sweeping.oldestAge()).isZero();

        outbox.pending("e-1", clock.instant().plusSeconds(5));
        sweeping.pass();
        assertThat(sweeping.oldestAge()).isZero();
    }

    @Test
    void sweepsWhatIsOlderThanTheGraceOnceTheOldestIsAndReadsTheGaugeAgainAfter() {
        outbox.pending("old", clock.instant().minus(GRACE).minusSeconds(1));
        outbox.pending("young", clock.instant().minusSeconds(10));

        sweeping.pass();

        assertThat(outbox.queriedBefore).containsOnly(clock.instant().minus(GRACE));
        assertThat(outbox.pendingIds()).containsExactly("young");
        assertThat(sweeping.oldestAge()).isEqualTo(Duration.ofSeconds(10));
        assertThat(outbox.oldestReads).hasValue(2);
    }

    @Test
    void aFollowUpExactlyAsOldAsTheGraceWaitsForTheNextPass() {
        outbox.pending("e-1", clock.instant().minus(GRACE));

        sweeping.pass();

        assertThat(outbox.queriedBefore).isEmpty();
        assertThat(sweeping.oldestAge()).isEqualTo(GRACE);
    }

    @Test
    void skipsItsTurnWhileTheListenerIsPausedAndKeepsTheLastGauge() {
        outbox.pending("e-1", clock.instant().minusSeconds(300));
        sweeping.pass();
        outbox.pending("e-2", clock.instant().minusSeconds(600));
        paused.set(true);

        sweeping.pass();

        assertThat(outbox.oldestReads).hasValue(2);
        assertThat(outbox.pendingIds()).containsExactly("e-2");
        assertThat(sweeping.oldestAge()).isZero();
    }

    @Test
    void aFailingSweepIsLoggedAtMostOnceAMinute() {
        outbox.failing = true;

        sweeping.pass();
        sweeping.pass();
        clock.advance(Duration.ofSeconds(59));
        sweeping.pass();

        assertThat(lines.list).singleElement().satisfies(line -> {
            assertThat(line.getLevel()).isEqualTo(Level.WARN);
            assertThat(line.getFormattedMessage())
                    .contains("The follow-up sweep failed", "InternalServerError: the index is unavailable");
        });

        clock.advance(Duration.ofSeconds(1));
        sweeping.pass();
        assertThat(lines.list).hasSize(2);
    }

    @Test
    void runsEveryIntervalOnceStartedAndNoLongerOnceStopped() {
        sweeping.start();

        assertThat(sweeping.isRunning()).isTrue();
        await().atMost(Duration.ofSeconds(5)).until(() -> outbox.oldestReads.get() >= 3);
        sweeping.stop();
        assertThat(sweeping.isRunning()).isFalse();
        int reads = outbox.oldestReads.get();
        await().during(Duration.ofMillis(400))
                .atMost(Duration.ofSeconds(1))
                .until(() -> outbox.oldestReads.get() == reads);
    }

    /** The outbox's pending follow-ups in memory, all in one shard; marks take them out. */
    private static final class FakeOutbox implements FollowUpOutbox {
        private final List<StoredEvent> pending = new ArrayList<>();
        final List<Instant> queriedBefore = new ArrayList<>();
        final AtomicInteger oldestReads = new AtomicInteger();
        volatile boolean failing;

        synchronized void pending(String uniqueId, Instant receivedAt) {
            pending.add(SampleEvents.storedUpdatedEvent(uniqueId, receivedAt));
        }

        synchronized List<String> pendingIds() {
            return pending.stream().map(StoredEvent::uniqueId).toList();
        }

        @Override
        public synchronized CompletableFuture<Boolean> markEmitted(
                String uniqueId, String followUpId, Instant emittedAt) {
            return CompletableFuture.completedFuture(
                    pending.removeIf(event -> event.uniqueId().equals(uniqueId)));
        }

        @Override
        public CompletableFuture<Boolean> markRejected(String uniqueId, String followUpId, String busWords) {
            throw new UnsupportedOperationException("the bus accepts every follow-up here");
        }

        @Override
        public synchronized CompletableFuture<Page> pending(
                int shard, Instant receivedBefore, Optional<Position> after, int limit) {
            queriedBefore.add(receivedBefore);
            if (shard != 0) {
                return CompletableFuture.completedFuture(new Page(List.of(), Optional.empty()));
            }
            String before = EventOracle.storedTimestamp(receivedBefore);
            return CompletableFuture.completedFuture(new Page(
                    pending.stream()
                            .filter(event -> event.receivedAt().compareTo(before) < 0)
                            .map(event -> new Waiting(
                                    event,
                                    FollowUpMark.pending(EventOracle.followUpId(event.uniqueId(), TYPE), TYPE),
                                    ""))
                            .toList(),
                    Optional.empty()));
        }

        @Override
        public CompletableFuture<Page> rejected(Optional<Position> after, int limit) {
            throw new UnsupportedOperationException("the sweep reads only the pending follow-ups");
        }

        @Override
        public synchronized CompletableFuture<Optional<Instant>> oldestPending() {
            oldestReads.incrementAndGet();
            if (failing) {
                return CompletableFuture.failedFuture(DynamoDbException.builder()
                        .statusCode(500)
                        .awsErrorDetails(AwsErrorDetails.builder()
                                .errorCode("InternalServerError")
                                .errorMessage("the index is unavailable")
                                .build())
                        .build());
            }
            return CompletableFuture.completedFuture(pending.stream()
                    .map(event -> Instant.parse(event.receivedAt()))
                    .min(Instant::compareTo));
        }
    }

    private static final class AcceptingBus implements FollowUpPublisher {
        @Override
        public CompletableFuture<Publication> publish(List<FollowUp> followUps) {
            Set<String> ids = followUps.stream().map(FollowUp::id).collect(Collectors.toSet());
            return CompletableFuture.completedFuture(new Publication(ids, Map.of(), Map.of()));
        }
    }

    private static final class SilentListener implements OutcomeListener {
        @Override
        public void received(int size) {}

        @Override
        public void finished(Outcome outcome, long startedNanos) {}

        @Override
        public void notMarked(StoredEvent event, FollowUpMark mark, Throwable cause) {}

        @Override
        public void busRejectedFollowUp(StoredEvent event, FollowUpMark mark, String busWords) {}

        @Override
        public void notSent(StoredEvent event, FollowUpMark mark, Throwable cause) {}

        @Override
        public void sentAgain(FollowUpMark mark) {}
    }
}
