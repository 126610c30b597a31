package com.kahula.eventpersister.listener;

import com.kahula.eventpersister.event.ParserRejection;
import com.kahula.eventpersister.event.StoredEvent;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** What processing one message came to; whether the message is acknowledged follows from it alone. */
public sealed interface Outcome {

    /** Whether the message is done with and may be deleted from the queue; if not, SQS delivers it again. */
    default boolean acknowledge() {
        return true;
    }

    /** The event the message carried, when it got as far as being parsed. */
    Optional<StoredEvent> eventIfParsed();

    /** An outcome the store decided, about a parsed event. */
    sealed interface OfEvent extends Outcome {

        StoredEvent event();

        @Override
        default Optional<StoredEvent> eventIfParsed() {
            return Optional.of(event());
        }
    }

    /** An outcome that parks the message in the dead-letter queue, with the reason operators see and one line. */
    sealed interface Parking extends Outcome {

        /** The code on the parked message ({@code persister-error}). */
        String parkingReason();

        /** One line on the parked message ({@code persister-error-detail}). */
        String detail();

        /** For a conflict, the payload hash of the row already stored. */
        default Optional<String> storedHash() {
            return Optional.empty();
        }
    }

    /** A new event, stored (its follow-up, if any, on the bus or waiting in the outbox). */
    record Stored(StoredEvent event) implements OfEvent {
        public Stored {
            Objects.requireNonNull(event, "event");
        }
    }

    /** The same event was already stored: nothing written (its pending follow-up, if any, sent again). */
    record Duplicate(StoredEvent event) implements OfEvent {
        public Duplicate {
            Objects.requireNonNull(event, "event");
        }
    }

    /** Another event is stored under the same unique id: that one left untouched, this message parked. */
    record Conflict(StoredEvent event, String storedRowHash) implements OfEvent, Parking {

        /** The parking reason operators see on the message ({@code persister-error}). */
        public static final String REASON = "conflict";

        public Conflict {
            Objects.requireNonNull(event, "event");
            Objects.requireNonNull(storedRowHash, "storedRowHash");
        }

        /** The stored row's hash, kept on the parked message ({@code persister-stored-hash}). */
        @Override
        public Optional<String> storedHash() {
            return Optional.of(storedRowHash);
        }

        @Override
        public String parkingReason() {
            return REASON;
        }

        /** One line for the parked message: which id, and this message's hash. */
        @Override
        public String detail() {
            return "unique_id " + event.uniqueId() + " is already stored with another payload_hash (this one: "
                    + event.payloadHash() + ")";
        }
    }

    /** The store refuses the event's content (a key too long, an item too large): parked with the store's reason. */
    record StoreRejected(StoredEvent event, String detail) implements OfEvent, Parking {

        /** The parking reason operators see on the message ({@code persister-error}). */
        public static final String REASON = "store-rejected";

        public StoreRejected {
            Objects.requireNonNull(event, "event");
            Objects.requireNonNull(detail, "detail");
        }

        @Override
        public String parkingReason() {
            return REASON;
        }
    }

    /** The body can never become an event: parked in the dead-letter queue with the reason. */
    record Unparseable(ParserRejection reason, String detail) implements Parking {
        public Unparseable {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(detail, "detail");
        }

        @Override
        public String parkingReason() {
            return reason.code();
        }

        @Override
        public Optional<StoredEvent> eventIfParsed() {
            return Optional.empty();
        }
    }

    /**
     * Not finished: left for SQS to deliver again. {@code why} is one line for the log; {@code cause} is the failure
     * behind it, when there is one, which tells an outage from the service's own fault or a bug.
     */
    record Retry(
            String why,
            @Nullable StoredEvent parsed,
            @Nullable Throwable cause) implements Outcome {
        public Retry {
            Objects.requireNonNull(why, "why");
        }

        @Override
        public boolean acknowledge() {
            return false;
        }

        @Override
        public Optional<StoredEvent> eventIfParsed() {
            return Optional.ofNullable(parsed);
        }
    }
}
