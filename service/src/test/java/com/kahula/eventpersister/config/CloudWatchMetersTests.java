package com.kahula.eventpersister.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.kahula.eventpersister.observability.PersisterMetrics;
import com.kahula.eventpersister.support.CloudWatchPublication;
import io.micrometer.cloudwatch2.CloudWatchMeterRegistry;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.MeterRegistryCustomizer;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.jvm.JvmMetricsAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;

/** CloudWatch bills each metric by the month: its registry takes this service's and resilience4j's meters only. */
class CloudWatchMetersTests {

    private final List<MetricDatum> published = Collections.synchronizedList(new ArrayList<>());

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class, JvmMetricsAutoConfiguration.class))
            .withBean(
                    CloudWatchMeterRegistry.class,
                    () -> CloudWatchPublication.registry(published),
                    definition -> definition.setDestroyMethodName("close"));

    @Configuration(proxyBeanMethods = false)
    static class TheServicesCustomizer {
        @Bean
        static MeterRegistryCustomizer<CloudWatchMeterRegistry> cloudWatchTakesTheServicesMeters() {
            return ObservabilityConfiguration.cloudWatchTakesTheServicesMeters();
        }
    }

    @Test
    void cloudWatchPublishesTheServicesMetersAndNotTheJvms() {
        runner.withUserConfiguration(TheServicesCustomizer.class).run(context -> {
            CloudWatchMeterRegistry registry = context.getBean(CloudWatchMeterRegistry.class);
            new PersisterMetrics(registry).processed(System.nanoTime());
            registry.counter("resilience4j.retry.calls", "name", "dynamodb").increment();

            assertThat(registry.getMeters())
                    .extracting(meter -> meter.getId().getName())
                    .contains("persister.events", "persister.event.processing", "resilience4j.retry.calls")
                    .allMatch(name -> name.startsWith("persister.") || name.startsWith("resilience4j."));
        });
        assertThat(published)
                .as("what the registry sent as it closed")
                .extracting(MetricDatum::metricName)
                .contains("persister.event.processing.count")
                .noneMatch(name -> name.startsWith("jvm."));
    }

    @Test
    void withoutItTheJvmMetersWouldReachCloudWatch() {
        runner.run(context -> assertThat(
                        context.getBean(CloudWatchMeterRegistry.class).getMeters())
                .extracting(meter -> meter.getId().getName())
                .contains("jvm.memory.used", "jvm.threads.live"));
    }
}
