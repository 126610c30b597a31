package com.kahula.eventpersister.config;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** What the retries of DynamoDB and EventBridge calls share: the thread that schedules the next attempt. */
@Configuration(proxyBeanMethods = false)
class ResilienceConfiguration {

    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService retryScheduler() {
        return Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("retry-scheduler").daemon().factory());
    }
}
