package com.kahula.eventpersister.listener;

import com.kahula.eventpersister.store.EventStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Records accepted follow-ups as EMITTED in the background, off the path that holds a message's acknowledgement: the
 * follow-up is on the bus once PutEvents accepted it, and a mark that is lost (a failed write, a killed task) leaves the
 * item PENDING, which only means that a redelivery of its event sends the follow-up again, under the same id.
 *
 * <p>At most {@link #WRITING} marks are written at a time, the others wait their turn in memory: unbounded, the marks
 * competed with the writes of the messages in flight and the service drained its queue at 0.90x the rate of marking
 * before the acknowledgement (docs/performance.md); bounded, at about the same rate, with less CPU per event.
 */
final class EmittedMarks {

    static final int WRITING = 8;

    private record Mark(PendingFollowUp followUp, Instant emittedAt) {}

    private final EventStore store;
    private final OutcomeListener listener;
    private final Queue<Mark> waiting = new ConcurrentLinkedQueue<>();
    private final AtomicInteger writing = new AtomicInteger();
    private final AtomicInteger unfinished = new AtomicInteger();
    private final Object idle = new Object();

    EmittedMarks(EventStore store, OutcomeListener listener) {
        this.store = store;
        this.listener = listener;
    }

    /** Queues the write of one mark; a failure is reported, never thrown. */
    void record(PendingFollowUp followUp, Instant emittedAt) {
        unfinished.incrementAndGet();
        waiting.add(new Mark(followUp, emittedAt));
        writeWhileRoom();
    }

    private void writeWhileRoom() {
        while (!waiting.isEmpty()) {
            int now = writing.get();
            if (now >= WRITING) {
                return;
            }
            if (writing.compareAndSet(now, now + 1)) {
                Mark mark = waiting.poll();
                if (mark == null) {
                    writing.decrementAndGet();
                } else {
                    write(mark);
                }
            }
        }
    }

    private void write(Mark mark) {
        PendingFollowUp followUp = mark.followUp();
        CompletableFuture<Void> written;
        try {
            written = store.markFollowUpEmitted(
                    followUp.cause().uniqueId(), followUp.mark().id(), mark.emittedAt());
        } catch (RuntimeException error) {
            written = CompletableFuture.failedFuture(error);
        }
        written.whenComplete((done, error) -> {
            if (error != null) {
                listener.notMarked(followUp.cause(), followUp.mark(), error);
            }
            writing.decrementAndGet();
            if (unfinished.decrementAndGet() == 0) {
                synchronized (idle) {
                    idle.notifyAll();
                }
            }
            writeWhileRoom();
        });
    }

    /** How many marks wait to be written or are being written. */
    int unfinished() {
        return unfinished.get();
    }

    /** Waits up to {@code timeout} for the marks still queued or being written, as the service stops. */
    boolean drain(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (idle) {
            while (unfinished.get() > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    idle.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return true;
    }
}
