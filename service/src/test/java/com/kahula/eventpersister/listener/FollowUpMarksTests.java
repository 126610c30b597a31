package com.kahula.eventpersister.listener;

import static org.assertj.core.api.Assertions.assertThat;

import com.kahula.eventpersister.event.EventMapping;
import com.kahula.eventpersister.event.EventParser;
import com.kahula.eventpersister.event.ParseResult;
import com.kahula.eventpersister.event.StoredEvent;
import com.kahula.eventpersister.store.FollowUpMark;
import com.kahula.eventpersister.store.FollowUpOutbox;
import com.kahula.eventpersister.support.SampleEvents;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The follow-ups' marks, not awaited by the acknowledgement: a bounded number at a time, every one in the end. */
class FollowUpMarksTests {

    private final HoldingOutbox store = new HoldingOutbox();
    private final List<String> unmarked = new ArrayList<>();
    private final List<String> rejected = new ArrayList<>();
    private final List<String> sentAgain = new ArrayList<>();
    private final OutcomeListener listener = new OutcomeListener() {
        @Override
        public void received(int size) {}

        @Override
        public void finished(Outcome outcome, long startedNanos) {}

        @Override
        public synchronized void notMarked(StoredEvent event, FollowUpMark mark, Throwable cause) {
            unmarked.add(mark.id());
        }

        @Override
        public synchronized void busRejectedFollowUp(StoredEvent event, FollowUpMark mark, String busWords) {
            rejected.add(mark.id() + ": " + busWords);
        }

        @Override
        public void notSent(StoredEvent event, FollowUpMark mark, Throwable cause) {
            throw new AssertionError("the marks never publish");
        }

        @Override
        public synchronized void sentAgain(FollowUpMark mark) {
            sentAgain.add(mark.id());
        }
    };
    private final FollowUpMarks marks = new FollowUpMarks(store, listener);

    @Test
    void writesAtMostABoundedNumberOfMarksAtATimeAndEveryOneInTheEnd() {
        for (int i = 0; i < 30; i++) {
            marks.emitted(followUp("f-" + i), Instant.now());
        }
        assertThat(store.held).hasSize(FollowUpMarks.WRITING);
        assertThat(marks.unfinished()).isEqualTo(30);
        assertThat(marks.drain(Duration.ofMillis(20))).isFalse();

        store.held.removeFirst().complete(true);
        assertThat(marks.unfinished()).isEqualTo(29);
        while (!store.held.isEmpty()) {
            store.held.removeFirst().complete(true);
        }

        assertThat(store.written).hasSize(30);
        assertThat(marks.unfinished()).isZero();
        assertThat(marks.drain(Duration.ofSeconds(1))).isTrue();
        assertThat(unmarked).isEmpty();
    }

    @Test
    void aMarkThatCannotBeWrittenIsReportedAndTheNextOnesAreStillWritten() {
        marks.emitted(followUp("f-1"), Instant.now());
        marks.emitted(followUp("f-2"), Instant.now());

        store.held.removeFirst().completeExceptionally(new IllegalStateException("store unavailable"));
        store.held.removeFirst().complete(true);

        assertThat(unmarked).containsExactly("f-1");
        assertThat(marks.drain(Duration.ofSeconds(1))).isTrue();
    }

    @Test
    void recordsARefusedFollowUpAsRejectedWithTheBusWordsAndCountsItOnce() {
        ConditionalOutbox outbox = new ConditionalOutbox();
        FollowUpMarks rejecting = new FollowUpMarks(outbox, listener);
        PendingFollowUp refused = followUp("f-1");

        rejecting.busRejected(refused, Instant.now(), "MalformedDetail: Detail is malformed.");

        assertThat(rejecting.drain(Duration.ofSeconds(1))).isTrue();
        assertThat(outbox.status("f-1")).isEqualTo("REJECTED: MalformedDetail: Detail is malformed.");
        assertThat(rejected).containsExactly("f-1: MalformedDetail: Detail is malformed.");
        assertThat(sentAgain).isEmpty();
    }

    @Test
    void aFollowUpRefusedAgainByAnotherSendIsCountedAsRejectedOnlyOnce() {
        // the batch and a redelivery of its event (or the sweeper) both sent it, and the bus refused both
        ConditionalOutbox outbox = new ConditionalOutbox();
        FollowUpMarks rejecting = new FollowUpMarks(outbox, listener);
        PendingFollowUp refused = followUp("f-1");

        rejecting.busRejected(refused, Instant.now(), "MalformedDetail: first");
        rejecting.busRejected(refused, Instant.now(), "MalformedDetail: second");

        assertThat(rejecting.drain(Duration.ofSeconds(1))).isTrue();
        assertThat(outbox.status("f-1")).isEqualTo("REJECTED: MalformedDetail: first");
        assertThat(rejected).containsExactly("f-1: MalformedDetail: first");
    }

    @Test
    void aRefusalOfAFollowUpAnotherSendHadOnTheBusIsNotCountedAsRejected() {
        ConditionalOutbox outbox = new ConditionalOutbox();
        FollowUpMarks both = new FollowUpMarks(outbox, listener);
        PendingFollowUp followUp = followUp("f-1");

        both.emitted(followUp, Instant.now());
        both.busRejected(followUp, Instant.now(), "MalformedDetail: Detail is malformed.");

        assertThat(both.drain(Duration.ofSeconds(1))).isTrue();
        assertThat(outbox.status("f-1")).isEqualTo("EMITTED");
        assertThat(rejected).isEmpty();
    }

    @Test
    void anEmittedMarkThatFindsTheFollowUpAlreadyMarkedCountsAnExtraSend() {
        ConditionalOutbox outbox = new ConditionalOutbox();
        FollowUpMarks emitting = new FollowUpMarks(outbox, listener);
        PendingFollowUp followUp = followUp("f-1");

        emitting.emitted(followUp, Instant.now());
        emitting.emitted(followUp, Instant.now());

        assertThat(emitting.drain(Duration.ofSeconds(1))).isTrue();
        assertThat(outbox.status("f-1")).isEqualTo("EMITTED");
        assertThat(sentAgain).containsExactly("f-1");
        assertThat(rejected).isEmpty();
    }

    private static PendingFollowUp followUp(String id) {
        String body = SampleEvents.envelope("com.kahula.catalog.ProductUpdatedEvent", SampleEvents.detail("catalog"));
        StoredEvent event = ((ParseResult.Parsed)
                        new EventParser(EventMapping.defaults(), 262_144).parse(body, Instant.now()))
                .event();
        return new PendingFollowUp(event, FollowUpMark.pending(id, "ValidatableEvent"), "rule");
    }

    /**
     * Marks as DynamoDB's conditional updates do, by follow-up id here: the first mark of a PENDING follow-up writes
     * and answers true, any later one answers false and changes nothing.
     */
    private static final class ConditionalOutbox implements FollowUpOutbox {
        private final Map<String, String> marked = new HashMap<>();

        synchronized String status(String followUpId) {
            return marked.getOrDefault(followUpId, "PENDING");
        }

        @Override
        public synchronized CompletableFuture<Boolean> markEmitted(
                String uniqueId, String followUpId, Instant emittedAt) {
            return CompletableFuture.completedFuture(marked.putIfAbsent(followUpId, "EMITTED") == null);
        }

        @Override
        public synchronized CompletableFuture<Boolean> markRejected(
                String uniqueId, String followUpId, String busWords) {
            return CompletableFuture.completedFuture(marked.putIfAbsent(followUpId, "REJECTED: " + busWords) == null);
        }

        @Override
        public CompletableFuture<Page> pending(int shard, Instant receivedBefore, Optional<Position> after, int limit) {
            throw new UnsupportedOperationException("marks only");
        }

        @Override
        public CompletableFuture<Page> rejected(Optional<Position> after, int limit) {
            throw new UnsupportedOperationException("marks only");
        }

        @Override
        public CompletableFuture<Optional<Instant>> oldestPending() {
            throw new UnsupportedOperationException("marks only");
        }
    }

    /** Holds every mark's write until the test completes it; counts the writes begun. */
    private static final class HoldingOutbox implements FollowUpOutbox {
        final List<CompletableFuture<Boolean>> held = new ArrayList<>();
        final List<String> written = new ArrayList<>();

        @Override
        public synchronized CompletableFuture<Boolean> markEmitted(
                String uniqueId, String followUpId, Instant emittedAt) {
            CompletableFuture<Boolean> write = new CompletableFuture<>();
            held.add(write);
            written.add(followUpId);
            return write;
        }

        @Override
        public CompletableFuture<Boolean> markRejected(String uniqueId, String followUpId, String busWords) {
            throw new UnsupportedOperationException("emitted marks only");
        }

        @Override
        public CompletableFuture<Page> pending(int shard, Instant receivedBefore, Optional<Position> after, int limit) {
            throw new UnsupportedOperationException("marks only");
        }

        @Override
        public CompletableFuture<Page> rejected(Optional<Position> after, int limit) {
            throw new UnsupportedOperationException("marks only");
        }

        @Override
        public CompletableFuture<Optional<Instant>> oldestPending() {
            throw new UnsupportedOperationException("marks only");
        }
    }
}
