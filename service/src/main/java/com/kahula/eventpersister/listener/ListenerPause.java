package com.kahula.eventpersister.listener;

import io.awspring.cloud.sqs.listener.backpressure.BackPressureHandler;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * A back-pressure handler of the listener container that grants no permit to poll while {@code paused} holds: the
 * container then receives nothing, so the messages stay in the queue with their receive counts untouched. Composed
 * before the limit on messages in flight ({@link InFlightPermits}) and the container's adaptive throughput.
 */
public final class ListenerPause implements BackPressureHandler {

    // How long one request waits for the pause to end before it answers 0 and the container asks again.
    private static final Duration WAIT = Duration.ofSeconds(1);

    private final BooleanSupplier paused;
    private final Object resumed = new Object();

    public ListenerPause(BooleanSupplier paused) {
        this.paused = paused;
    }

    /** Wakes the requests waiting for the pause to end; call it when the condition may have changed. */
    public void changed() {
        synchronized (resumed) {
            resumed.notifyAll();
        }
    }

    @Override
    public int request(int amount) throws InterruptedException {
        if (!paused.getAsBoolean()) {
            return amount;
        }
        synchronized (resumed) {
            resumed.wait(WAIT.toMillis());
        }
        return paused.getAsBoolean() ? 0 : amount;
    }

    @Override
    public void release(int amount, ReleaseReason reason) {
        // no permits are held: nothing to give back
    }

    @Override
    public boolean drain(Duration timeout) {
        return true;
    }
}
