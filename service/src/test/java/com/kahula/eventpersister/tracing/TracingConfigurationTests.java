package com.kahula.eventpersister.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import com.kahula.eventpersister.config.PersisterProperties;
import com.kahula.eventpersister.listener.FollowUpTracing;
import com.kahula.eventpersister.listener.MessageTracing;
import io.micrometer.observation.ObservationRegistry;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** {@code persister.tracing.enabled}: the messages' spans and trace context by default, none of it when false. */
class TracingConfigurationTests {

    private final TracingConfiguration configuration = new TracingConfiguration();
    private final DefaultListableBeanFactory beans = new DefaultListableBeanFactory();

    @Test
    void tracesTheMessagesByDefault() {
        PersisterProperties properties = properties(Map.of());

        assertThat(properties.tracing().enabled()).isTrue();
        MessageTracing messages =
                configuration.messageTracing(properties, beans.getBeanProvider(ObservationRegistry.class));
        FollowUpTracing followUps =
                configuration.followUpTracing(properties, beans.getBeanProvider(ObservationRegistry.class));
        assertThat(messages).isNotSameAs(MessageTracing.NONE).isNotInstanceOf(FollowUpTracing.class);
        assertThat(followUps).isNotSameAs(FollowUpTracing.NONE).isNotInstanceOf(MessageTracing.class);
    }

    @Test
    void tracesNothingWhenTracingIsOff() {
        PersisterProperties properties = properties(Map.of("persister.tracing.enabled", "false"));

        assertThat(configuration.messageTracing(properties, beans.getBeanProvider(ObservationRegistry.class)))
                .isSameAs(MessageTracing.NONE);
        assertThat(configuration.followUpTracing(properties, beans.getBeanProvider(ObservationRegistry.class)))
                .isSameAs(FollowUpTracing.NONE);
    }

    private static PersisterProperties properties(Map<String, String> overrides) {
        Map<String, String> values = new HashMap<>(Map.of(
                "persister.env", "dev",
                "persister.table.name", "t",
                "persister.queue.name", "q",
                "persister.queue.dead-letter-name", "q-dlq",
                "persister.bus.name", "b",
                "persister.mapping.id-pointer", "/id",
                "persister.mapping.saga-id-pointer", "/sagaId",
                "persister.mapping.timestamp-pointer", "/timestamp",
                "persister.mapping.domain-pointer", "/domain"));
        values.putAll(overrides);
        return new Binder(new MapConfigurationPropertySource(values))
                .bind("persister", PersisterProperties.class)
                .get();
    }
}
