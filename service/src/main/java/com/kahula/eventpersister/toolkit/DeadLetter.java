package com.kahula.eventpersister.toolkit;

import com.kahula.eventpersister.listener.SqsDeadLetterParking;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * One message read from the dead-letter queue: its body and message attributes as they are there, when it was first
 * sent (SQS keeps that time when its redrive policy moves a message) and how often SQS counts it received, this read
 * included.
 */
record DeadLetter(String messageId, String body, Map<String, Attribute> attributes, Instant sentAt, int receiveCount) {

    /** The reason of a message SQS's redrive policy moved: it carries no {@code persister-error}. */
    static final String RETRIES_EXHAUSTED = "retries-exhausted";

    DeadLetter {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(sentAt, "sentAt");
        attributes = Map.copyOf(attributes);
        if (receiveCount < 0) {
            throw new IllegalArgumentException("receiveCount must not be negative, was " + receiveCount);
        }
    }

    /**
     * A message attribute: its data type ({@code String}, {@code Number} or {@code Binary}, perhaps with a custom
     * suffix) and its value, text or, for a binary one, Base64.
     */
    record Attribute(
            String dataType,
            @Nullable String stringValue,
            @Nullable String binaryBase64) {
        Attribute {
            Objects.requireNonNull(dataType, "dataType");
            if ((stringValue == null) == (binaryBase64 == null)) {
                throw new IllegalArgumentException("an attribute has a string value or a binary value, one of them");
            }
        }

        static Attribute text(String value) {
            return new Attribute("String", value, null);
        }
    }

    /** Why the service parked it ({@code persister-error}), else {@value #RETRIES_EXHAUSTED}. */
    String reason() {
        return text(SqsDeadLetterParking.ERROR_ATTRIBUTE).orElse(RETRIES_EXHAUSTED);
    }

    /** The service's one-line detail; for a message the redrive policy moved, its receive count. */
    String detail() {
        return text(SqsDeadLetterParking.ERROR_DETAIL_ATTRIBUTE)
                .orElseGet(() -> "moved by the queue's redrive policy; received " + receiveCount
                        + " times (this read included)");
    }

    /** The stored row's hash when the service parked it as a {@code conflict}. */
    Optional<String> storedHash() {
        return text(SqsDeadLetterParking.STORED_HASH_ATTRIBUTE);
    }

    Duration age(Instant now) {
        return sentAt.isBefore(now) ? Duration.between(sentAt, now) : Duration.ZERO;
    }

    /**
     * The attributes it arrived with, to send back on a redrive: the service's reason, detail and stored hash left
     * out, the others (such as {@code persister-restore}) unchanged; sorted by name.
     */
    Map<String, Attribute> originalAttributes() {
        Map<String, Attribute> original = new TreeMap<>(attributes);
        original.remove(SqsDeadLetterParking.ERROR_ATTRIBUTE);
        original.remove(SqsDeadLetterParking.ERROR_DETAIL_ATTRIBUTE);
        original.remove(SqsDeadLetterParking.STORED_HASH_ATTRIBUTE);
        return original;
    }

    private Optional<String> text(String name) {
        return Optional.ofNullable(attributes.get(name)).map(Attribute::stringValue);
    }
}
