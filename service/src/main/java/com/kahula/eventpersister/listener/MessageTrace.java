package com.kahula.eventpersister.listener;

import com.kahula.eventpersister.event.TraceContext;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/** The span of one message's work, from its receipt to its outcome, and its children: the write, a parking, a send. */
public interface MessageTrace {

    /** The context the message arrived with, which the stored item keeps; null when it came without one. */
    @Nullable
    TraceContext arrivedWith();

    /** Runs the store's write in a child span that ends when the write completes. */
    <T> CompletableFuture<T> storing(Supplier<CompletableFuture<T>> write);

    /** Runs the parking in a child span that ends when the parking completes. */
    <T> CompletableFuture<T> parking(Supplier<CompletableFuture<T>> park);

    /** Starts the child span of sending the follow-up of {@code type}; its trace header goes on the bus entry. */
    FollowUpSend sending(String type);

    /** Runs {@code logging} with this span current, so that its lines carry the trace and span ids. */
    void current(Runnable logging);

    /** Ends the span with the outcome, and its reason if parked, as attributes; a second call changes nothing. */
    void finish(Outcome outcome);

    MessageTrace NONE = new MessageTrace() {
        @Override
        public @Nullable TraceContext arrivedWith() {
            return null;
        }

        @Override
        public <T> CompletableFuture<T> storing(Supplier<CompletableFuture<T>> write) {
            return write.get();
        }

        @Override
        public <T> CompletableFuture<T> parking(Supplier<CompletableFuture<T>> park) {
            return park.get();
        }

        @Override
        public FollowUpSend sending(String type) {
            return FollowUpSend.NONE;
        }

        @Override
        public void current(Runnable logging) {
            logging.run();
        }

        @Override
        public void finish(Outcome outcome) {}
    };
}
