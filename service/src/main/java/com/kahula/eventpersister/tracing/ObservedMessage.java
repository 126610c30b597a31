package com.kahula.eventpersister.tracing;

import com.kahula.eventpersister.event.TraceContext;
import com.kahula.eventpersister.listener.FollowUpSend;
import com.kahula.eventpersister.listener.MessageTrace;
import com.kahula.eventpersister.listener.Outcome;
import com.kahula.eventpersister.observability.LogValues;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.SenderContext;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.handler.TracingObservationHandler;
import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.TraceId;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * One message's observation and its children; the outcome and reason become its attributes, never the payload. The
 * sampler decides once, as the message's span starts: an unsampled message has no child observations and no
 * attributes, only its span's ids, which its logs and its follow-ups' trace headers carry (flagged not sampled), so
 * that the trace stays one and unsampled downstream. A failure of the tracing itself never reaches the message: the
 * work goes on untraced, and it is logged at most once a minute.
 */
final class ObservedMessage implements MessageTrace {

    private final ObservationRegistry registry;
    private final Observation observation;
    private final @Nullable Span span;
    private final boolean sampled;
    private final @Nullable TraceContext arrivedWith;
    private final AtomicBoolean finished = new AtomicBoolean();

    /** Around the started {@code observation}, of a message that arrived with {@code arrivedWith}. */
    ObservedMessage(ObservationRegistry registry, Observation observation, @Nullable TraceContext arrivedWith) {
        this.registry = registry;
        this.observation = observation;
        TracingObservationHandler.TracingContext tracing =
                observation.getContext().get(TracingObservationHandler.TracingContext.class);
        this.span = tracing == null ? null : tracing.getSpan();
        this.sampled = span != null && Boolean.TRUE.equals(span.context().sampled());
        this.arrivedWith = arrivedWith;
    }

    /** Whether the sampler chose this message's trace: only then do its children and attributes exist. */
    boolean sampled() {
        return sampled;
    }

    @Override
    public @Nullable TraceContext arrivedWith() {
        return arrivedWith;
    }

    @Override
    public <T> CompletableFuture<T> storing(Supplier<CompletableFuture<T>> write) {
        if (!sampled) {
            return write.get();
        }
        return child("store", "persister store", write);
    }

    @Override
    public <T> CompletableFuture<T> parking(Supplier<CompletableFuture<T>> park) {
        if (!sampled) {
            return park.get();
        }
        return child("park", "persister park", park);
    }

    @Override
    public FollowUpSend sending(String type) {
        try {
            return sampled ? send(type) : new UnsampledSend(unsampledHeader());
        } catch (RuntimeException error) {
            TracingFailures.report(error);
            return FollowUpSend.NONE;
        }
    }

    private FollowUpSend send(String type) {
        Map<String, String> headers = HashMap.newHashMap(4);
        SenderContext<Map<String, String>> context = new SenderContext<>((carrier, key, value) -> {
            if (carrier != null) {
                carrier.put(key, value);
            }
        });
        context.setCarrier(headers);
        context.setRemoteServiceName("eventbridge");
        // the tracing handler writes the new span's context into the headers as it starts
        Observation send = Observation.createNotStarted(ObservedMessages.PREFIX + "publish", () -> context, registry)
                .contextualName("persister publish")
                .lowCardinalityKeyValue("follow_up.type", type)
                .parentObservation(observation)
                .start();
        return new ObservedSend(send, headers.get(IncomingTrace.XRAY_HEADER));
    }

    /** X-Ray's header naming this message's span, not sampled; null when the registry made no span. */
    private @Nullable String unsampledHeader() {
        if (span == null) {
            // no tracer made a span: the follow-up still continues the context the message arrived with
            return arrivedWith == null ? null : IncomingTrace.xrayHeader(arrivedWith);
        }
        // an unsampled span is not recording, which Micrometer calls no-op; its ids are still the trace's
        io.micrometer.tracing.TraceContext context = span.context();
        return TraceId.isValid(context.traceId()) && SpanId.isValid(context.spanId())
                ? IncomingTrace.xrayHeader(new TraceContext(context.traceId(), context.spanId(), false))
                : null;
    }

    @Override
    public void current(Runnable logging) {
        Observation.Scope scope;
        try {
            scope = observation.openScope();
        } catch (RuntimeException error) {
            TracingFailures.report(error);
            logging.run();
            return;
        }
        try (scope) {
            logging.run();
        }
    }

    @Override
    public void finish(Outcome outcome) {
        if (!finished.compareAndSet(false, true)) {
            return;
        }
        try {
            if (sampled) {
                end(outcome);
            } else {
                observation.stop();
            }
        } catch (RuntimeException error) {
            TracingFailures.report(error);
        }
    }

    private void end(Outcome outcome) {
        switch (outcome) {
            case Outcome.Stored stored -> observation.lowCardinalityKeyValue("outcome", "stored");
            case Outcome.Duplicate duplicate -> observation.lowCardinalityKeyValue("outcome", "duplicate");
            case Outcome.Conflict conflict ->
                observation
                        .lowCardinalityKeyValue("outcome", "conflict")
                        .lowCardinalityKeyValue("reason", conflict.parkingReason());
            case Outcome.StoreRejected rejected ->
                observation
                        .lowCardinalityKeyValue("outcome", "parked")
                        .lowCardinalityKeyValue("reason", rejected.parkingReason());
            case Outcome.Unparseable unparseable ->
                observation
                        .lowCardinalityKeyValue("outcome", "parked")
                        .lowCardinalityKeyValue("reason", unparseable.parkingReason());
            case Outcome.Retry retry -> {
                observation.lowCardinalityKeyValue("outcome", "failed");
                if (retry.cause() != null) {
                    observation.error(retry.cause());
                }
            }
        }
        outcome.eventIfParsed()
                .ifPresent(event ->
                        observation.highCardinalityKeyValue("event.unique_id", LogValues.bounded(event.uniqueId())));
        observation.stop();
    }

    private <T> CompletableFuture<T> child(String name, String spanName, Supplier<CompletableFuture<T>> call) {
        Observation child;
        try {
            child = Observation.createNotStarted(ObservedMessages.PREFIX + name, registry)
                    .contextualName(spanName)
                    .parentObservation(observation)
                    .start();
        } catch (RuntimeException error) {
            TracingFailures.report(error);
            return call.get();
        }
        try {
            return call.get().whenComplete((result, error) -> ended(child, error));
        } catch (RuntimeException error) {
            ended(child, error);
            throw error;
        }
    }

    /** The send of an unsampled message's follow-up: no span of its own, the message's span as the header's parent. */
    private record UnsampledSend(@Nullable String traceHeader) implements FollowUpSend {

        @Override
        public void end(String result, @Nullable Throwable cause) {}
    }

    /** Ends {@code child} with the error its work ended with, if any; a failure of the tracing stays in it. */
    static void ended(Observation child, @Nullable Throwable error) {
        try {
            if (error != null) {
                child.error(error);
            }
            child.stop();
        } catch (RuntimeException failure) {
            TracingFailures.report(failure);
        }
    }

    /** The span of one follow-up's send. */
    private record ObservedSend(Observation send, @Nullable String traceHeader) implements FollowUpSend {

        @Override
        public void end(String result, @Nullable Throwable cause) {
            try {
                send.lowCardinalityKeyValue("result", result);
            } catch (RuntimeException failure) {
                TracingFailures.report(failure);
            }
            ended(send, cause);
        }
    }
}
