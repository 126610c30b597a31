package com.kahula.eventpersister.listener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.awspring.cloud.sqs.listener.backpressure.BackPressureHandler;
import io.awspring.cloud.sqs.listener.backpressure.BackPressureHandler.ReleaseReason;
import io.awspring.cloud.sqs.listener.backpressure.ConcurrencyLimiterBlockingBackPressureHandler;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The limit on messages in flight: the grants of the container's own limiter, and one wake-up of a waiting poll for
 * the permits it waits for where the container's limiter wakes it at each permit given back.
 */
class InFlightPermitsTests {

    private static final Duration LONG = Duration.ofSeconds(30);

    @Test
    void grantsWhatIsFreeUpToTheLimit() throws InterruptedException {
        InFlightPermits permits = new InFlightPermits(25, Duration.ZERO);

        assertThat(permits.request(10)).isEqualTo(10);
        assertThat(permits.request(10)).isEqualTo(10);
        assertThat(permits.request(10)).isEqualTo(5);
        assertThat(permits.request(10)).isZero();

        permits.release(3, ReleaseReason.PROCESSED);
        assertThat(permits.request(10)).isEqualTo(3);
    }

    @Test
    void aRequestThatWaitedInVainTakesWhatIsFreeWhenItsWaitEnds() throws InterruptedException {
        InFlightPermits permits = new InFlightPermits(10, Duration.ofMillis(200));
        assertThat(permits.request(10)).isEqualTo(10);
        permits.release(4, ReleaseReason.PROCESSED);

        long started = System.nanoTime();
        int granted = permits.request(10);

        assertThat(granted).isEqualTo(4);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
    }

    @Test
    void aWaitingRequestGetsItsPermitsOnlyOnceAllOfThemAreFree() {
        InFlightPermits permits = new InFlightPermits(10, LONG);
        takeAll(permits, 10);
        Requester requester = Requester.start(permits, 10);
        requester.awaitWaiting();

        for (int i = 0; i < 9; i++) {
            permits.release(1, ReleaseReason.PROCESSED);
        }
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> requester.granted() < 0);

        permits.release(1, ReleaseReason.PROCESSED);
        await().atMost(Duration.ofSeconds(5)).until(() -> requester.granted() == 10);
    }

    @Test
    void aWaitingPollWakesOnceForPermitsGivenBackOneAtATimeWhereTheContainersLimiterWakesItAtEach() {
        InFlightPermits permits = new InFlightPermits(10, LONG);
        takeAll(permits, 10);
        // the container's own limiter, as its factory builds it for the same options
        ConcurrencyLimiterBlockingBackPressureHandler containers =
                ConcurrencyLimiterBlockingBackPressureHandler.builder()
                        .batchSize(10)
                        .totalPermits(10)
                        .acquireTimeout(LONG)
                        .build();
        takeAll(containers, 10);

        assertThat(parksOfAPollWhileTenPermitsComeBackOneAtATime(permits)).isEqualTo(1);
        assertThat(parksOfAPollWhileTenPermitsComeBackOneAtATime(containers)).isEqualTo(10);
    }

    @Test
    void aDrainWaitsForEveryPermitAndTakesThem() throws InterruptedException {
        InFlightPermits permits = new InFlightPermits(10, Duration.ZERO);
        assertThat(permits.request(10)).isEqualTo(10);

        assertThat(permits.drain(Duration.ofMillis(50))).isFalse();

        permits.release(10, ReleaseReason.PROCESSED);
        assertThat(permits.drain(Duration.ofMillis(50))).isTrue();
        assertThat(permits.request(1)).isZero();
    }

    @Test
    void refusesALimitBelowOne() {
        assertThatThrownBy(() -> new InFlightPermits(0, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 1");
    }

    private static void takeAll(BackPressureHandler handler, int amount) {
        try {
            assertThat(handler.request(amount)).isEqualTo(amount);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * How many times a poll waiting for ten permits parked (the JVM's count of its thread's waits) from its request
     * until it got them, while they came back one at a time, each once the poll was waiting again.
     */
    private static long parksOfAPollWhileTenPermitsComeBackOneAtATime(BackPressureHandler handler) {
        Requester requester = Requester.start(handler, 10);
        requester.awaitWaiting();
        for (int i = 0; i < 10 && requester.granted() < 0; i++) {
            handler.release(1, ReleaseReason.PROCESSED);
            // time for a poll woken by the release to find too few permits and park again before the next
            await().pollDelay(Duration.ofMillis(50))
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> requester.granted() >= 0 || requester.isWaiting());
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> requester.granted() == 10);
        return requester.waitsUntilGranted();
    }

    /** A thread that asks {@code handler} for permits, as the container's poll does. */
    private static final class Requester {

        private static final java.lang.management.ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

        private final Thread thread;
        private final AtomicInteger granted = new AtomicInteger(-1);
        private volatile long waitsBefore = -1;
        private volatile long waitsAfter = -1;

        private Requester(BackPressureHandler handler, int amount) {
            this.thread = Thread.ofPlatform().unstarted(() -> {
                waitsBefore = waitedCount(Thread.currentThread());
                try {
                    int got = handler.request(amount);
                    waitsAfter = waitedCount(Thread.currentThread());
                    granted.set(got);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }

        static Requester start(BackPressureHandler handler, int amount) {
            Requester requester = new Requester(handler, amount);
            requester.thread.start();
            return requester;
        }

        void awaitWaiting() {
            await().atMost(Duration.ofSeconds(5)).until(this::isWaiting);
        }

        boolean isWaiting() {
            Thread.State state = thread.getState();
            return state == Thread.State.TIMED_WAITING || state == Thread.State.WAITING;
        }

        int granted() {
            return granted.get();
        }

        long waitsUntilGranted() {
            return waitsAfter - waitsBefore;
        }

        private static long waitedCount(Thread thread) {
            ThreadInfo info = THREADS.getThreadInfo(thread.threadId());
            return info == null ? -1 : info.getWaitedCount();
        }
    }
}
