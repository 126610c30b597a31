package com.kahula.eventpersister.config;

import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.function.Predicate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What the retries of DynamoDB and EventBridge calls share: exponential backoff with jitter, and the thread that
 * schedules the next attempt and times each attempt out.
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

    /**
     * The retries' next attempts, and the DynamoDB and EventBridge clients' attempt timeouts in place of the SDK's
     * own pool of five threads per client. A timeout is taken off the queue as its call completes (remove on cancel):
     * the SDK's pool keeps every cancelled timeout queued until it would have fired, and wakes a thread for each.
     */
    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService awsScheduler() {
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(
                1, Thread.ofPlatform().name("aws-scheduler").daemon().factory());
        scheduler.setRemoveOnCancelPolicy(true);
        return scheduler;
    }
}
