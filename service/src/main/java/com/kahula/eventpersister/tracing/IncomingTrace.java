package com.kahula.eventpersister.tracing;

import com.kahula.eventpersister.event.TraceContext;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.contrib.awsxray.propagator.AwsXrayPropagator;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The trace context a message carries: X-Ray's header (SQS's {@code AWSTraceHeader} system attribute, which EventBridge
 * sets from the producer's trace) or a W3C {@code traceparent} message attribute, which wins when both are valid. One
 * that is missing or malformed is no context: the message starts a new trace, and nothing else changes.
 */
public final class IncomingTrace {

    /** The message attribute that carries a W3C trace context. */
    public static final String TRACEPARENT = "traceparent";

    /** The header under which X-Ray's propagator reads and writes its trace header (one of its {@code fields()}). */
    public static final String XRAY_HEADER = "X-Amzn-Trace-Id";

    // X-Ray first, so that a valid traceparent, extracted after it, replaces what X-Ray's header gave
    static final TextMapPropagator PROPAGATORS =
            TextMapPropagator.composite(AwsXrayPropagator.getInstance(), W3CTraceContextPropagator.getInstance());

    private static final TextMapGetter<Map<String, String>> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public @Nullable String get(@Nullable Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    private IncomingTrace() {}

    /** The headers the propagators read, from a message's {@code AWSTraceHeader} and {@code traceparent}. */
    public static Map<String, String> carrier(@Nullable String awsTraceHeader, @Nullable String traceparent) {
        Map<String, String> carrier = HashMap.newHashMap(2);
        if (awsTraceHeader != null) {
            carrier.put(XRAY_HEADER, awsTraceHeader);
        }
        if (traceparent != null) {
            carrier.put(TRACEPARENT, traceparent);
        }
        return carrier;
    }

    /** X-Ray's trace header naming {@code context} as the parent, as PutEvents' {@code TraceHeader} takes it. */
    public static String xrayHeader(TraceContext context) {
        SpanContext parent = SpanContext.createFromRemoteParent(
                context.traceId(),
                context.parentId(),
                context.sampled() ? TraceFlags.getSampled() : TraceFlags.getDefault(),
                TraceState.getDefault());
        Map<String, String> headers = HashMap.newHashMap(1);
        AwsXrayPropagator.getInstance()
                .inject(Context.root().with(Span.wrap(parent)), headers, (carrier, key, value) -> {
                    if (carrier != null) {
                        carrier.put(key, value);
                    }
                });
        return Objects.requireNonNull(
                headers.get(XRAY_HEADER), "X-Ray's propagator wrote no header for a valid context");
    }

    /** The context of {@code carrier}; empty when it holds none that is valid. */
    public static Optional<TraceContext> of(Map<String, String> carrier) {
        if (carrier.isEmpty()) {
            return Optional.empty();
        }
        SpanContext context = Span.fromContext(PROPAGATORS.extract(Context.root(), carrier, GETTER))
                .getSpanContext();
        return context.isValid()
                ? Optional.of(new TraceContext(context.getTraceId(), context.getSpanId(), context.isSampled()))
                : Optional.empty();
    }
}
