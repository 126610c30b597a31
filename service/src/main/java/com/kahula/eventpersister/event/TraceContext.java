package com.kahula.eventpersister.event;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The trace context an event arrived with, as the stored item keeps it: the trace id (32 lower-case hex digits, the
 * W3C and OpenTelemetry form), the id of the span that sent it, and whether that trace is sampled. Its forms: W3C's
 * {@code traceparent} ({@code 00-<trace id>-<parent id>-<flags>}, the {@code trace_parent} column) and X-Ray's trace
 * id ({@code 1-<first 8 digits>-<other 24>}).
 */
public record TraceContext(String traceId, String parentId, boolean sampled) {

    private static final Pattern TRACE_ID = Pattern.compile("[0-9a-f]{32}");
    private static final Pattern SPAN_ID = Pattern.compile("[0-9a-f]{16}");
    private static final Pattern TRACEPARENT = Pattern.compile("00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})");
    private static final String INVALID_TRACE_ID = "0".repeat(32);
    private static final String INVALID_SPAN_ID = "0".repeat(16);

    public TraceContext {
        Objects.requireNonNull(traceId, "traceId");
        Objects.requireNonNull(parentId, "parentId");
        if (!TRACE_ID.matcher(traceId).matches() || traceId.equals(INVALID_TRACE_ID)) {
            throw new IllegalArgumentException("traceId must be 32 lower-case hex digits, not all zero");
        }
        if (!SPAN_ID.matcher(parentId).matches() || parentId.equals(INVALID_SPAN_ID)) {
            throw new IllegalArgumentException("parentId must be 16 lower-case hex digits, not all zero");
        }
    }

    /** The W3C {@code traceparent} of this context (version 00). */
    public String traceparent() {
        return "00-" + traceId + "-" + parentId + (sampled ? "-01" : "-00");
    }

    /** The trace id as X-Ray writes it: {@code 1-} and the first 8 digits, {@code -} and the other 24. */
    public String xrayTraceId() {
        return "1-" + traceId.substring(0, 8) + "-" + traceId.substring(8);
    }

    /** The context a stored {@code trace_parent} holds; empty for anything that is not a version-00 traceparent. */
    public static Optional<TraceContext> fromTraceparent(@Nullable String traceparent) {
        if (traceparent == null) {
            return Optional.empty();
        }
        Matcher parts = TRACEPARENT.matcher(traceparent);
        if (!parts.matches()
                || parts.group(1).equals(INVALID_TRACE_ID)
                || parts.group(2).equals(INVALID_SPAN_ID)) {
            return Optional.empty();
        }
        boolean sampled = (Integer.parseInt(parts.group(3), 16) & 1) == 1;
        return Optional.of(new TraceContext(parts.group(1), parts.group(2), sampled));
    }
}
