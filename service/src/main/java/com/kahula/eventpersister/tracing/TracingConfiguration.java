package com.kahula.eventpersister.tracing;

import com.kahula.eventpersister.config.PersisterProperties;
import com.kahula.eventpersister.listener.FollowUpTracing;
import com.kahula.eventpersister.listener.MessageTracing;
import io.micrometer.observation.ObservationHandler.FirstMatchingCompositeObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingSenderTracingObservationHandler;
import io.micrometer.tracing.otel.bridge.OtelPropagator;
import io.micrometer.tracing.propagation.Propagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Tracing: the messages' observations, on a registry of their own that has the tracing handlers only, over Spring
 * Boot's tracer (its sampler, exporter and log correlation). No meter handler runs on them, so the metrics stay those
 * of {@code PersisterMetrics}, which CloudWatch bills per name, and an observation costs only its span. A message's span
 * continues the context {@link IncomingTrace} read ({@link ContinuedSpans}), the one the stored item keeps, whatever
 * propagation Boot is set to; a publish span writes its header with {@link IncomingTrace}'s propagators.
 */
@Configuration(proxyBeanMethods = false)
class TracingConfiguration {

    /** The messages' spans, or none when {@code persister.tracing.enabled} is false (read at start, AOT or not). */
    @Bean
    MessageTracing messageTracing(
            PersisterProperties properties,
            ObjectProvider<Tracer> tracer,
            ObjectProvider<io.opentelemetry.api.trace.Tracer> openTelemetry) {
        // a method reference, so that the bean is a MessageTracing only, not also the FollowUpTracing below
        return properties.tracing().enabled() ? observed(tracer, openTelemetry)::start : MessageTracing.NONE;
    }

    @Bean
    FollowUpTracing followUpTracing(
            PersisterProperties properties,
            ObjectProvider<Tracer> tracer,
            ObjectProvider<io.opentelemetry.api.trace.Tracer> openTelemetry) {
        return properties.tracing().enabled() ? observed(tracer, openTelemetry)::resuming : FollowUpTracing.NONE;
    }

    private static ObservedMessages observed(
            ObjectProvider<Tracer> tracer, ObjectProvider<io.opentelemetry.api.trace.Tracer> openTelemetry) {
        Tracer spans = tracer.getIfAvailable();
        io.opentelemetry.api.trace.Tracer otel = openTelemetry.getIfAvailable();
        return new ObservedMessages(
                spans == null || otel == null
                        ? ObservationRegistry.NOOP
                        : spansOnly(
                                spans, new OtelPropagator(ContextPropagators.create(IncomingTrace.PROPAGATORS), otel)));
    }

    /** A registry whose observations make spans and nothing else. */
    static ObservationRegistry spansOnly(Tracer tracer, Propagator propagator) {
        ObservationRegistry registry = ObservationRegistry.create();
        registry.observationConfig()
                .observationHandler(new FirstMatchingCompositeObservationHandler(
                        new ContinuedSpans(tracer),
                        new PropagatingSenderTracingObservationHandler<>(tracer, propagator),
                        new DefaultTracingObservationHandler(tracer)));
        return registry;
    }
}
