package com.kahula.eventpersister.tracing;

import com.kahula.eventpersister.event.TraceContext;
import io.micrometer.observation.Observation;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.handler.TracingObservationHandler;
import org.jspecify.annotations.Nullable;

/**
 * Starts the span of a message, or of a resend, as a child of the context {@link IncomingTrace} has read from it (or
 * that its item keeps), and a new trace without one: the context is read once, by the propagators that also fill the
 * item's columns, and the span's start extracts nothing again.
 */
final class ContinuedSpans implements TracingObservationHandler<ContinuedSpans.Continued> {

    private final Tracer tracer;

    ContinuedSpans(Tracer tracer) {
        this.tracer = tracer;
    }

    /** An observation's context that names the span it continues, and what the continued work came from. */
    static final class Continued extends Observation.Context {

        private final @Nullable TraceContext parent;
        private final String remoteService;

        Continued(@Nullable TraceContext parent, String remoteService) {
            this.parent = parent;
            this.remoteService = remoteService;
        }
    }

    @Override
    public void onStart(Continued context) {
        Span.Builder span = tracer.spanBuilder().kind(Span.Kind.CONSUMER).remoteServiceName(context.remoteService);
        TraceContext parent = context.parent;
        if (parent == null) {
            span.setNoParent();
        } else {
            span.setParent(tracer.traceContextBuilder()
                    .traceId(parent.traceId())
                    .spanId(parent.parentId())
                    .sampled(parent.sampled())
                    .build());
        }
        getTracingContext(context).setSpan(span.start());
    }

    @Override
    public void onStop(Continued context) {
        Span span = getRequiredSpan(context);
        tagSpan(context, span);
        span.name(getSpanName(context));
        endSpan(context, span);
    }

    @Override
    public boolean supportsContext(Observation.Context context) {
        return context instanceof Continued;
    }

    @Override
    public Tracer getTracer() {
        return tracer;
    }
}
