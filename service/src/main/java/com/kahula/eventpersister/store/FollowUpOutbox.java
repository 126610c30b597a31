package com.kahula.eventpersister.store;

import com.kahula.eventpersister.event.StoredEvent;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The stored items as the outbox of their follow-ups: what becomes of each follow-up (EMITTED, REJECTED), and which are
 * still PENDING, read from an index that holds only those, never by scanning the table.
 */
public interface FollowUpOutbox {

    /** A stored event whose follow-up waits, as the item holds it now. */
    record Waiting(StoredEvent event, FollowUpMark mark, String error) {
        public Waiting {
            Objects.requireNonNull(event, "event");
            Objects.requireNonNull(mark, "mark");
            Objects.requireNonNull(error, "error");
        }
    }

    /** Where a read of the index stopped: the last index entry read, from which the next page starts. */
    record Position(String outbox, String receivedAt, String uniqueId) {
        public Position {
            Objects.requireNonNull(outbox, "outbox");
            Objects.requireNonNull(receivedAt, "receivedAt");
            Objects.requireNonNull(uniqueId, "uniqueId");
        }
    }

    /**
     * One page of the index: the follow-ups found in it that are still as the index says (the index lags the table a
     * little, so an entry whose item has moved on is left out), and where the next page starts, if there is one.
     */
    record Page(List<Waiting> waiting, Optional<Position> next) {
        public Page {
            waiting = List.copyOf(waiting);
            Objects.requireNonNull(next, "next");
        }
    }

    /**
     * Records that the follow-up is on the bus. Completes with false when the item's follow-up was no longer PENDING:
     * another send (a sweeper, a redelivery) had already marked it, and this send was an extra one.
     */
    CompletableFuture<Boolean> markEmitted(String uniqueId, String followUpId, Instant emittedAt);

    /**
     * Records that the bus refused the follow-up for its content, with the bus's words, which takes it out of the
     * pending follow-ups. Completes with false when the follow-up was no longer PENDING.
     */
    CompletableFuture<Boolean> markRejected(String uniqueId, String followUpId, String busWords);

    /**
     * A page of at most {@code limit} index entries of outbox shard {@code shard}: the follow-ups still PENDING that
     * were received before {@code receivedBefore}, oldest first, after {@code after} when given.
     */
    CompletableFuture<Page> pending(int shard, Instant receivedBefore, Optional<Position> after, int limit);

    /** A page of at most {@code limit} follow-ups the bus refused for their content, oldest first. */
    CompletableFuture<Page> rejected(Optional<Position> after, int limit);

    /** When the oldest follow-up still PENDING was received, if any is. */
    CompletableFuture<Optional<Instant>> oldestPending();
}
