package com.kahula.eventpersister.listener;

import io.awspring.cloud.sqs.listener.backpressure.BackPressureHandler;
import io.awspring.cloud.sqs.listener.backpressure.BackPressureHandlerFactory;
import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The listener container's limit on the messages in flight, in place of its own concurrency limiter, granting what
 * that grants: a request for n permits waits up to {@code wait} for n to be free, then takes those free, possibly
 * none; a drain waits for all of them and takes them. What differs is when a waiting request wakes. The container
 * gives a permit back as each message is done, one at a time, and its semaphore wakes the waiting poll at each, which
 * finds too few and waits again: a wake-up and a park per message. Here the poll wakes once the permits it waits for
 * are free, or when its wait ends.
 */
public final class InFlightPermits implements BackPressureHandler {

    private final int total;
    private final Duration wait;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition enoughFree = lock.newCondition();
    private int free;
    // no waiting request or drain waits for fewer permits than this; MAX_VALUE once the waiters have been woken
    private int wanted = Integer.MAX_VALUE;

    public InFlightPermits(int total, Duration wait) {
        if (total < 1) {
            throw new IllegalArgumentException("permits in flight must be at least 1, not " + total);
        }
        if (wait.isNegative()) {
            throw new IllegalArgumentException("the wait for permits must not be negative, not " + wait);
        }
        this.total = total;
        this.wait = wait;
        this.free = total;
    }

    /** The container's max-concurrent-messages as the permits, its max-delay-between-polls as the wait. */
    public static BackPressureHandlerFactory factory() {
        return options -> new InFlightPermits(options.getMaxConcurrentMessages(), options.getMaxDelayBetweenPolls());
    }

    /** As the container's: an interrupt, before or while it waits, ends it with no permit taken. */
    @Override
    public int request(int amount) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            awaitFree(amount, wait);
            int granted = Math.min(free, amount);
            free -= granted;
            return granted;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void release(int amount, ReleaseReason reason) {
        if (amount < 0) {
            throw new IllegalArgumentException("permits given back must not be negative, not " + amount);
        }
        if (amount == 0) {
            return;
        }
        lock.lock();
        try {
            free += amount;
            if (free >= wanted) {
                wanted = Integer.MAX_VALUE;
                enoughFree.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean drain(Duration timeout) {
        try {
            lock.lockInterruptibly();
            try {
                awaitFree(total, timeout);
                if (free < total) {
                    return false;
                }
                free -= total;
                return true;
            } finally {
                lock.unlock();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Waits, holding the lock, until {@code amount} permits are free or {@code timeout} has passed. */
    private void awaitFree(int amount, Duration timeout) throws InterruptedException {
        long nanos = timeout.toNanos();
        while (free < amount && nanos > 0) {
            wanted = Math.min(wanted, amount);
            nanos = enoughFree.awaitNanos(nanos);
        }
    }
}
