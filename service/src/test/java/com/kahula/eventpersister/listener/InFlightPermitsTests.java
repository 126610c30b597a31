package com.kahula.eventpersister.listener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.awspring.cloud.sqs.listener.backpressure.BackPressureHandler;
import io.awspring.cloud.sqs.listener.backpressure.BackPressureHandler.ReleaseReason;
import io.awspring.cloud.sqs.listener.backpressure.ConcurrencyLimiterBlockingBackPressureHandler;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The limit on messages in flight: the grants of the container's own limiter, and one wake-up of a waiting poll for
 * the permits it waits for where the container's limiter wakes it at each permit given back.
 */
class InFlightPermitsTests {

    private static final Duration LONG = Duration.ofSeconds(30);

    @Test
    void grantsWhatTheContainersLimiterGrantsForTheSameRequestsAndReleases() throws InterruptedException {
        InFlightPermits permits = new InFlightPermits(100, Duration.ZERO);
        BackPressureHandler containers = containersLimiter(100, Duration.ZERO);
        Random random = new Random(30);
        int held = 0;
        for (int step = 0; step < 2000; step++) {
            if (held > 0 && random.nextBoolean()) {
                int amount = 1 + random.nextInt(held);
                permits.release(amount, ReleaseReason.PROCESSED);
                containers.release(amount, ReleaseReason.PROCESSED);
                held -= amount;
            } else {
                int amount = 1 + random.nextInt(10);
                int granted = permits.request(amount);
                assertThat(granted).as("step %d, %d asked for", step, amount).isEqualTo(containers.request(amount));
                held += granted;
            }
        }
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
    void aRequestAfterOneThatWaitedInVainStillWakesWhenItsPermitsAreFree() throws InterruptedException {
        InFlightPermits permits = new InFlightPermits(10, Duration.ofSeconds(2));
        assertThat(permits.request(10)).isEqualTo(10);
        assertThat(permits.request(10)).isZero();

        Requester requester = Requester.start(permits, 3);
        requester.awaitWaiting();
        permits.release(3, ReleaseReason.PROCESSED);

        // well before its wait of two seconds would end
        await().atMost(Duration.ofMillis(1500)).until(() -> requester.granted() == 3);
    }

    @Test
    void aWaitingPollParksOnceForPermitsGivenBackOneAtATime() {
        InFlightPermits permits = new InFlightPermits(10, LONG);
        takeAll(permits, 10);
        Requester requester = Requester.start(permits, 10);
        requester.awaitWaiting();
        long parked = requester.waits();

        for (int i = 0; i < 9; i++) {
            permits.release(1, ReleaseReason.PROCESSED);
        }
        // time for a poll that a release woke to find too few permits and park again
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> requester.granted() < 0);
        assertThat(requester.waits()).isEqualTo(parked);

        permits.release(1, ReleaseReason.PROCESSED);
        await().atMost(Duration.ofSeconds(5)).until(() -> requester.granted() == 10);
        assertThat(requester.waitsUntilGranted()).isEqualTo(1);
    }

    @Test
    void theContainersLimiterWakesAWaitingPollAtEachPermitGivenBack() {
        BackPressureHandler containers = containersLimiter(10, LONG);
        takeAll(containers, 10);
        Requester requester = Requester.start(containers, 10);
        requester.awaitWaiting();

        for (int i = 0; i < 9; i++) {
            long before = requester.waits();
            containers.release(1, ReleaseReason.PROCESSED);
            // woken, it finds too few and parks again: the JVM counts one more wait of its thread
            await().atMost(Duration.ofSeconds(5)).until(() -> requester.waits() > before);
        }
        containers.release(1, ReleaseReason.PROCESSED);
        await().atMost(Duration.ofSeconds(5)).until(() -> requester.granted() == 10);
        assertThat(requester.waitsUntilGranted()).isEqualTo(10);
    }

    @Test
    void aDrainWaitsForEveryPermitAndTakesThem() throws InterruptedException {
        InFlightPermits permits = new InFlightPermits(10, Duration.ZERO);
        assertThat(permits.request(10)).isEqualTo(10);
        AtomicReference<@Nullable Boolean> drained = new AtomicReference<>();
        Thread drainer = Thread.ofPlatform().daemon().start(() -> drained.set(permits.drain(LONG)));
        await().atMost(Duration.ofSeconds(5)).until(() -> isWaiting(drainer));

        permits.release(9, ReleaseReason.PROCESSED);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> drained.get() == null);
        permits.release(1, ReleaseReason.PROCESSED);

        await().atMost(Duration.ofSeconds(5)).until(() -> Boolean.TRUE.equals(drained.get()));
        assertThat(permits.request(1)).isZero();
    }

    @Test
    void aDrainThatTimesOutSaysSoAndTakesNothing() throws InterruptedException {
        InFlightPermits permits = new InFlightPermits(10, Duration.ZERO);
        assertThat(permits.request(4)).isEqualTo(4);

        assertThat(permits.drain(Duration.ofMillis(50))).isFalse();

        assertThat(permits.request(10)).isEqualTo(6);
    }

    @Test
    void anInterruptedRequestStopsWaitingAndTakesNoPermit() throws InterruptedException {
        InFlightPermits permits = new InFlightPermits(10, LONG);
        assertThat(permits.request(8)).isEqualTo(8);
        AtomicReference<@Nullable Throwable> thrown = new AtomicReference<>();
        Thread requester = Thread.ofPlatform().daemon().start(() -> {
            try {
                permits.request(10);
            } catch (InterruptedException e) {
                thrown.set(e);
            }
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> isWaiting(requester));

        requester.interrupt();
        requester.join(Duration.ofSeconds(5));

        assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
        permits.release(8, ReleaseReason.PROCESSED);
        assertThat(permits.drain(Duration.ZERO)).isTrue();
    }

    @Test
    void refusesALimitBelowOneAndANegativeRelease() {
        assertThatThrownBy(() -> new InFlightPermits(0, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 1");
        assertThatThrownBy(() -> new InFlightPermits(10, Duration.ZERO).release(-1, ReleaseReason.PROCESSED))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("negative");
    }

    /** The container's own limiter, as its factory builds it for {@code total} messages in flight, ten a poll. */
    private static BackPressureHandler containersLimiter(int total, Duration wait) {
        return ConcurrencyLimiterBlockingBackPressureHandler.builder()
                .batchSize(10)
                .totalPermits(total)
                .acquireTimeout(wait)
                .build();
    }

    private static void takeAll(BackPressureHandler handler, int amount) {
        try {
            assertThat(handler.request(amount)).isEqualTo(amount);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean isWaiting(Thread thread) {
        Thread.State state = thread.getState();
        return state == Thread.State.TIMED_WAITING || state == Thread.State.WAITING;
    }

    /** A thread that asks a handler for permits, as the container's poll does, and the JVM's count of its waits. */
    private static final class Requester {

        private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

        private final Thread thread;
        private final AtomicInteger granted = new AtomicInteger(-1);
        private volatile long waitsBefore = -1;
        private volatile long waitsAfter = -1;

        private Requester(BackPressureHandler handler, int amount) {
            this.thread = Thread.ofPlatform().daemon().unstarted(() -> {
                waitsBefore = waits(Thread.currentThread());
                try {
                    int got = handler.request(amount);
                    waitsAfter = waits(Thread.currentThread());
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
            await().atMost(Duration.ofSeconds(5)).until(() -> isWaiting(thread));
        }

        int granted() {
            return granted.get();
        }

        long waits() {
            return waits(thread);
        }

        long waitsUntilGranted() {
            return waitsAfter - waitsBefore;
        }

        private static long waits(Thread thread) {
            var info = THREADS.getThreadInfo(thread.threadId());
            return info == null ? -1 : info.getWaitedCount();
        }
    }
}
