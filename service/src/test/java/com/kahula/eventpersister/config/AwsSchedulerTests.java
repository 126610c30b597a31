package com.kahula.eventpersister.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The one scheduler of the AWS calls: the retries' next attempts and the clients' attempt timeouts. */
class AwsSchedulerTests {

    private final ScheduledExecutorService scheduler = new ResilienceConfiguration().awsScheduler();

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    @Test
    void aTimeoutCancelledAsItsCallCompletesLeavesNothingQueued() {
        ScheduledFuture<?> timeout = scheduler.schedule(() -> {}, 1, TimeUnit.HOURS);

        timeout.cancel(false);

        assertThat(((ScheduledThreadPoolExecutor) scheduler).getQueue()).isEmpty();
    }

    @Test
    void aTimeoutThatIsNotCancelledFires() {
        AtomicBoolean fired = new AtomicBoolean();

        scheduler.schedule(() -> fired.set(true), 10, TimeUnit.MILLISECONDS);

        await().atMost(Duration.ofSeconds(5)).untilTrue(fired);
    }
}
