package com.kahula.eventpersister.tracing;

import com.kahula.eventpersister.config.PersisterProperties;
import com.kahula.eventpersister.listener.FollowUpTracing;
import com.kahula.eventpersister.listener.MessageTracing;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.observation.ObservationRegistry;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.contrib.awsxray.propagator.AwsXrayPropagator;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Tracing: X-Ray's header among the propagators Spring Boot composes (read first, so that a W3C traceparent, read
 * after it, wins), the messages' observations, and no meters from them: the metrics stay those of
 * {@code PersisterMetrics}, which CloudWatch bills per name.
 */
@Configuration(proxyBeanMethods = false)
class TracingConfiguration {

    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    TextMapPropagator awsXrayPropagator() {
        return AwsXrayPropagator.getInstance();
    }

    @Bean
    MeterFilter noMetersFromTraceObservations() {
        return MeterFilter.denyNameStartsWith(ObservedMessages.PREFIX);
    }

    /** The messages' spans, or none when {@code persister.tracing.enabled} is false (read at start, AOT or not). */
    @Bean
    MessageTracing messageTracing(PersisterProperties properties, ObjectProvider<ObservationRegistry> registry) {
        // a method reference, so that the bean is a MessageTracing only, not also the FollowUpTracing below
        return properties.tracing().enabled() ? observed(registry)::start : MessageTracing.NONE;
    }

    @Bean
    FollowUpTracing followUpTracing(PersisterProperties properties, ObjectProvider<ObservationRegistry> registry) {
        return properties.tracing().enabled() ? observed(registry)::resuming : FollowUpTracing.NONE;
    }

    private static ObservedMessages observed(ObjectProvider<ObservationRegistry> registry) {
        return new ObservedMessages(registry.getIfAvailable(() -> ObservationRegistry.NOOP));
    }
}
