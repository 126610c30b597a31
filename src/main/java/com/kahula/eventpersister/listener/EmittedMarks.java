package com.kahula.eventpersister.listener;

import com.kahula.eventpersister.store.EventStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Records accepted follow-ups as EMITTED in the background, off the path that holds a message's acknowledgement: the
 * follow-up is on the bus once PutEvents accepted it, and a mark that is lost (a failed write, a killed task) leaves the
 * item PENDING, which only means that a redelivery of its event sends the follow-up again, under the same id.
 */
final class EmittedMarks {

    private final EventStore store;
    private final OutcomeListener listener;
    private final Set<CompletableFuture<Void>> inFlight = ConcurrentHashMap.newKeySet();

    EmittedMarks(EventStore store, OutcomeListener listener) {
        this.store = store;
        this.listener = listener;
    }

    /** Starts the write of one mark; a failure is reported, never thrown. */
    void record(PendingFollowUp followUp, Instant emittedAt) {
        CompletableFuture<Void> mark = store.markFollowUpEmitted(
                        followUp.cause().uniqueId(), followUp.mark().id(), emittedAt)
                .exceptionally(error -> {
                    listener.notMarked(followUp.cause(), followUp.mark(), error);
                    return null;
                });
        inFlight.add(mark);
        mark.whenComplete((done, error) -> inFlight.remove(mark));
    }

    /** Waits up to {@code timeout} for the marks still being written, as the service stops; true if all finished. */
    boolean drain(Duration timeout) {
        try {
            CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
    }

    int inFlight() {
        return inFlight.size();
    }
}
