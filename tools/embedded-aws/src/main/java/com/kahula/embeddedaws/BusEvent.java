package com.kahula.embeddedaws;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An event the EventBridge emulator accepted on a bus, whether or not a rule matched it.
 *
 * @param busName the bus name (never an ARN)
 * @param envelope the EventBridge envelope exactly as an SQS target receives it
 * @param detailType the envelope's {@code detail-type}
 * @param source the envelope's {@code source}
 * @param detail the envelope's {@code detail} object
 * @param traceHeader the entry's X-Ray {@code TraceHeader}, null when it had none
 */
public record BusEvent(
        String busName,
        String envelope,
        String detailType,
        String source,
        JsonNode detail,
        @Nullable String traceHeader) {

    public BusEvent {
        Objects.requireNonNull(busName, "busName");
        Objects.requireNonNull(envelope, "envelope");
        Objects.requireNonNull(detailType, "detailType");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(detail, "detail");
    }
}
