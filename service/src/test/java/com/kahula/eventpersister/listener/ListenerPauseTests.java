package com.kahula.eventpersister.listener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.awspring.cloud.sqs.listener.backpressure.BackPressureHandler;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** The listener container's permits to poll: all of them while the store answers, none while the circuit is open. */
class ListenerPauseTests {

    private final AtomicBoolean paused = new AtomicBoolean();
    private final ListenerPause pause = new ListenerPause(paused::get);

    @Test
    void grantsEveryPermitAskedForWhileNotPaused() throws InterruptedException {
        assertThat(pause.request(10)).isEqualTo(10);
        assertThat(pause.request(1)).isEqualTo(1);
    }

    @Test
    void grantsNoPermitWhilePaused() throws InterruptedException {
        paused.set(true);

        assertThat(pause.request(10)).isZero();
    }

    @Test
    void aRequestWaitingWhilePausedGetsItsPermitsAsSoonAsThePauseEndsAndItIsTold() {
        paused.set(true);
        AtomicReference<@Nullable Thread> waiter = new AtomicReference<>();
        CompletableFuture<Integer> granted = CompletableFuture.supplyAsync(() -> {
            waiter.set(Thread.currentThread());
            try {
                return pause.request(10);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            Thread thread = waiter.get();
            return thread != null && thread.getState() == Thread.State.TIMED_WAITING;
        });

        paused.set(false);
        pause.changed();

        // well before the one second a request waits at most on its own
        await().atMost(Duration.ofMillis(500)).until(granted::isDone);
        assertThat(granted.join()).isEqualTo(10);
    }

    @Test
    void aRequestWaitingWhilePausedStopsWhenItsThreadIsInterrupted() throws InterruptedException {
        paused.set(true);
        AtomicReference<@Nullable Throwable> thrown = new AtomicReference<>();
        Thread requester = Thread.ofPlatform().start(() -> {
            try {
                pause.request(10);
            } catch (InterruptedException e) {
                thrown.set(e);
            }
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> requester.getState() == Thread.State.TIMED_WAITING);

        requester.interrupt();
        requester.join(Duration.ofSeconds(5));

        assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
    }

    @Test
    void holdsNoPermitsSoReleasingAndDrainingAreImmediate() throws InterruptedException {
        paused.set(true);

        pause.release(10, BackPressureHandler.ReleaseReason.PROCESSED);

        assertThat(pause.drain(Duration.ZERO)).isTrue();
        paused.set(false);
        assertThat(pause.request(10)).isEqualTo(10);
    }
}
