package com.kahula.eventpersister.tracing;

import com.kahula.eventpersister.event.TraceContext;
import com.kahula.eventpersister.listener.FollowUpSend;
import com.kahula.eventpersister.listener.MessageTrace;
import com.kahula.eventpersister.listener.Outcome;
import com.kahula.eventpersister.observability.LogValues;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.SenderContext;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * One message's observation and its children; the outcome and reason become its attributes, never the payload. A
 * failure of the tracing itself never reaches the message: the work goes on untraced, and it is logged at most once a
 * minute.
 */
final class ObservedMessage implements MessageTrace {

    private final ObservationRegistry registry;
    private final Observation observation;
    private final @Nullable TraceContext arrivedWith;
    private final AtomicBoolean finished = new AtomicBoolean();

    ObservedMessage(ObservationRegistry registry, Observation observation, @Nullable TraceContext arrivedWith) {
        this.registry = registry;
        this.observation = observation;
        this.arrivedWith = arrivedWith;
    }

    @Override
    public @Nullable TraceContext arrivedWith() {
        return arrivedWith;
    }

    @Override
    public <T> CompletableFuture<T> storing(Supplier<CompletableFuture<T>> write) {
        return child("store", "persister store", write);
    }

    @Override
    public <T> CompletableFuture<T> parking(Supplier<CompletableFuture<T>> park) {
        return child("park", "persister park", park);
    }

    @Override
    public FollowUpSend sending(String type) {
        try {
            return send(type);
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
            end(outcome);
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
            return call.get().whenComplete((result, error) -> {
                if (error != null) {
                    child.error(error);
                }
                child.stop();
            });
        } catch (RuntimeException error) {
            child.error(error);
            child.stop();
            throw error;
        }
    }

    /** The span of one follow-up's send. */
    private record ObservedSend(Observation send, @Nullable String traceHeader) implements FollowUpSend {

        @Override
        public void end(String result, @Nullable Throwable cause) {
            send.lowCardinalityKeyValue("result", result);
            if (cause != null) {
                send.error(cause);
            }
            send.stop();
        }
    }
}
