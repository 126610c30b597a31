package com.kahula.eventpersister.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import com.kahula.eventpersister.config.PersisterProperties;
import com.kahula.eventpersister.listener.FollowUpTracing;
import com.kahula.eventpersister.listener.MessageTracing;
import com.kahula.eventpersister.support.BoundProperties;
import io.micrometer.tracing.Tracer;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;

/** {@code persister.tracing.enabled}: the messages' spans and trace context by default, none of it when false. */
class TracingConfigurationTests {

    private final TracingConfiguration configuration = new TracingConfiguration();
    private final DefaultListableBeanFactory beans = new DefaultListableBeanFactory();

    @Test
    void tracesTheMessagesByDefault() {
        PersisterProperties properties = BoundProperties.of(Map.of());

        assertThat(properties.tracing().enabled()).isTrue();
        MessageTracing messages = configuration.messageTracing(properties, tracer(), openTelemetry());
        FollowUpTracing followUps = configuration.followUpTracing(properties, tracer(), openTelemetry());
        assertThat(messages).isNotSameAs(MessageTracing.NONE).isNotInstanceOf(FollowUpTracing.class);
        assertThat(followUps).isNotSameAs(FollowUpTracing.NONE).isNotInstanceOf(MessageTracing.class);
    }

    @Test
    void tracesNothingWhenTracingIsOff() {
        PersisterProperties properties = BoundProperties.of(Map.of("persister.tracing.enabled", "false"));

        assertThat(configuration.messageTracing(properties, tracer(), openTelemetry()))
                .isSameAs(MessageTracing.NONE);
        assertThat(configuration.followUpTracing(properties, tracer(), openTelemetry()))
                .isSameAs(FollowUpTracing.NONE);
    }

    private ObjectProvider<Tracer> tracer() {
        return beans.getBeanProvider(Tracer.class);
    }

    private ObjectProvider<io.opentelemetry.api.trace.Tracer> openTelemetry() {
        return beans.getBeanProvider(io.opentelemetry.api.trace.Tracer.class);
    }
}
