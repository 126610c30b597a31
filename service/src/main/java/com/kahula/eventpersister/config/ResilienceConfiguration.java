package com.kahula.eventpersister.config;

import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Predicate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What the retries of DynamoDB and EventBridge calls share: exponential backoff with jitter, and the thread that
 * schedules the next attempt.
 */
@Configuration(proxyBeanMethods = false)
class ResilienceConfiguration {

    private static final double BACKOFF_MULTIPLIER = 2.0;
    private static final double JITTER = 0.5;

    /** Up to {@code maxAttempts}, waiting from {@code initialBackoff} doubling to {@code maxBackoff}, +-50 %. */
    static RetryConfig backoffWithJitter(
            int maxAttempts, Duration initialBackoff, Duration maxBackoff, Predicate<Throwable> worthRetrying) {
        return RetryConfig.custom()
                .maxAttempts(maxAttempts)
                .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(
                        initialBackoff, BACKOFF_MULTIPLIER, JITTER, maxBackoff))
                .retryOnException(worthRetrying)
                .build();
    }

    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService retryScheduler() {
        return Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("retry-scheduler").daemon().factory());
    }
}
