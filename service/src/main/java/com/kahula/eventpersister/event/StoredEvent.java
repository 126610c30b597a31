package com.kahula.eventpersister.event;

import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One event as it is persisted: identity, payload hash, routing metadata and the {@code detail} JSON.
 *
 * <p>{@code mbocdpId}, {@code sagaId} and {@code domain} are {@code null} when the event does not carry them, and
 * {@code trace} when its message came without a trace context; every other field is required. The trace is kept beside
 * the event, never in its payload or hash. Timestamps use the fixed-width {@code yyyy-MM-ddTHH:mm:ss.SSSZ} form so that string order
 * is time order.
 */
public record StoredEvent(
        String uniqueId,
        String payloadHash,
        @Nullable String mbocdpId,
        String awsId,
        @Nullable String sagaId,
        String eventName,
        String detailType,
        String timestamp,
        @Nullable String domain,
        String source,
        String payload,
        String receivedAt,
        @Nullable TraceContext trace) {

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern FIXED_INSTANT = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z");

    public StoredEvent {
        requireText("uniqueId", uniqueId);
        requireText("payloadHash", payloadHash);
        requireText("awsId", awsId);
        requireText("eventName", eventName);
        requireText("detailType", detailType);
        requireText("timestamp", timestamp);
        requireText("source", source);
        requireText("payload", payload);
        requireText("receivedAt", receivedAt);
        requireTextIfPresent("mbocdpId", mbocdpId);
        requireTextIfPresent("sagaId", sagaId);
        requireTextIfPresent("domain", domain);
        if (!SHA256_HEX.matcher(payloadHash).matches()) {
            throw new IllegalArgumentException("payloadHash must be 64 lower-case hex digits");
        }
        requireFixedInstant("timestamp", timestamp);
        requireFixedInstant("receivedAt", receivedAt);
        // The store deduplicates on uniqueId, so the rule that picks it must hold for every instance.
        if (!uniqueId.equals(Objects.requireNonNullElse(mbocdpId, awsId))) {
            throw new IllegalArgumentException("uniqueId must be mbocdpId when present, else awsId");
        }
    }

    /** This event as it arrived in a message with the trace context {@code arrivedWith}. */
    public StoredEvent withTrace(@Nullable TraceContext arrivedWith) {
        if (Objects.equals(trace, arrivedWith)) {
            return this;
        }
        return new StoredEvent(
                uniqueId,
                payloadHash,
                mbocdpId,
                awsId,
                sagaId,
                eventName,
                detailType,
                timestamp,
                domain,
                source,
                payload,
                receivedAt,
                arrivedWith);
    }

    private static void requireText(String field, @Nullable String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " is required");
        }
    }

    private static void requireTextIfPresent(String field, @Nullable String value) {
        if (value != null && value.isBlank()) {
            throw new IllegalArgumentException(field + " must be null or non-blank");
        }
    }

    private static void requireFixedInstant(String field, String value) {
        if (!FIXED_INSTANT.matcher(value).matches()) {
            throw new IllegalArgumentException(field + " must look like 2026-11-27T10:00:00.000Z");
        }
    }
}
