package com.kahula.eventpersister.listener;

import com.kahula.eventpersister.store.FollowUpOutbox;
import java.time.Duration;
import java.time.Instant;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * Records what became of published follow-ups (EMITTED, or REJECTED with the bus's words) in the background, off the
 * path that holds a message's acknowledgement. A mark that is lost (a failed write, a killed task) leaves the item
 * PENDING in the outbox, which only means that the sweeper sends the follow-up again, under the same id.
 *
 * <p>At most {@link #WRITING} marks are written at a time and the others wait their turn in memory, so that the marks
 * never compete with the writes of the messages in flight for the store's connections.
 */
final class FollowUpMarks {

    static final int WRITING = 8;

    /** A mark to write: EMITTED at {@code at}, or REJECTED with the bus's {@code busWords}. */
    private record Mark(
            PendingFollowUp followUp, Instant at, @Nullable String busWords) {}

    private final FollowUpOutbox outbox;
    private final OutcomeListener listener;
    private final Queue<Mark> waiting = new ConcurrentLinkedQueue<>();
    private final AtomicInteger writing = new AtomicInteger();
    private final AtomicInteger unfinished = new AtomicInteger();
    private final Object idle = new Object();

    FollowUpMarks(FollowUpOutbox outbox, OutcomeListener listener) {
        this.outbox = outbox;
        this.listener = listener;
    }

    /** Queues the EMITTED mark of a follow-up the bus accepted; a failure is reported, never thrown. */
    void emitted(PendingFollowUp followUp, Instant emittedAt) {
        queue(new Mark(followUp, emittedAt, null));
    }

    /** Queues the REJECTED mark of a follow-up the bus refused for its content, with the bus's words. */
    void busRejected(PendingFollowUp followUp, Instant at, String busWords) {
        queue(new Mark(followUp, at, busWords));
    }

    private void queue(Mark mark) {
        unfinished.incrementAndGet();
        waiting.add(mark);
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
        String uniqueId = followUp.cause().uniqueId();
        String followUpId = followUp.mark().id();
        CompletableFuture<Boolean> written;
        try {
            written = mark.busWords() == null
                    ? outbox.markEmitted(uniqueId, followUpId, mark.at())
                    : outbox.markRejected(uniqueId, followUpId, mark.busWords());
        } catch (RuntimeException error) {
            written = CompletableFuture.failedFuture(error);
        }
        written.whenComplete((first, error) -> {
            try {
                // Only the mark that found the follow-up PENDING reports it: a refusal that another send had already
                // recorded (or whose follow-up another send put on the bus) is not counted a second time.
                if (error != null) {
                    listener.notMarked(followUp.cause(), followUp.mark(), error);
                } else if (mark.busWords() != null) {
                    if (first) {
                        listener.busRejectedFollowUp(followUp.cause(), followUp.mark(), mark.busWords());
                    }
                } else if (!first) {
                    listener.sentAgain(followUp.mark());
                }
            } finally {
                writing.decrementAndGet();
                if (unfinished.decrementAndGet() == 0) {
                    synchronized (idle) {
                        idle.notifyAll();
                    }
                }
                writeWhileRoom();
            }
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
