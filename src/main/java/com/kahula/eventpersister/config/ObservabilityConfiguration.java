package com.kahula.eventpersister.config;

import com.kahula.eventpersister.observability.PersisterMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Metrics of the service. */
@Configuration(proxyBeanMethods = false)
class ObservabilityConfiguration {

    @Bean
    PersisterMetrics persisterMetrics(MeterRegistry registry) {
        return new PersisterMetrics(registry);
    }
}
