package com.kahula.eventpersister.config;

import com.kahula.eventpersister.aws.AwsErrors;
import com.kahula.eventpersister.listener.FollowUpSweeper;
import com.kahula.eventpersister.observability.LogValues;
import com.kahula.eventpersister.store.FollowUpOutbox;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Every sweep interval: reads the oldest PENDING follow-up from the outbox index (the gauge of its age), and when one
 * is older than the grace period, has the sweeper send every such follow-up. Skips its turn while the listener is
 * paused, since the store then fails for most calls.
 */
final class FollowUpSweeping implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(FollowUpSweeping.class);
    private static final int PHASE = Integer.MAX_VALUE - 1000;
    private static final Duration LOG_EVERY = Duration.ofMinutes(1);

    private final FollowUpSweeper sweeper;
    private final FollowUpOutbox outbox;
    private final BooleanSupplier storePaused;
    private final Duration interval;
    private final Duration grace;
    private final Clock clock;
    private volatile Duration oldestAge = Duration.ZERO;
    private final AtomicLong lastFailureLogged = new AtomicLong(Long.MIN_VALUE);
    private volatile @Nullable ScheduledExecutorService executor;

    FollowUpSweeping(
            FollowUpSweeper sweeper,
            FollowUpOutbox outbox,
            BooleanSupplier storePaused,
            Duration interval,
            Duration grace,
            Clock clock) {
        this.sweeper = sweeper;
        this.outbox = outbox;
        this.storePaused = storePaused;
        this.interval = interval;
        this.grace = grace;
        this.clock = clock;
    }

    /** The age of the oldest PENDING follow-up at the last reading of the index; zero when none was. */
    Duration oldestAge() {
        return oldestAge;
    }

    void pass() {
        if (storePaused.getAsBoolean()) {
            return;
        }
        try {
            Instant now = clock.instant();
            Optional<Instant> oldest = readOldest(now);
            Instant cutoff = now.minus(grace);
            if (oldest.isPresent() && oldest.get().isBefore(cutoff)) {
                FollowUpSweeper.Pass pass = sweeper.sweep(cutoff);
                if (pass.found() > 0) {
                    log.info(
                            "Swept the follow-ups still PENDING after {}: found {}, the bus accepted {}, refused {} for"
                                    + " their content, took {} not yet",
                            grace,
                            pass.found(),
                            pass.accepted(),
                            pass.busRejected(),
                            pass.notSent());
                }
                readOldest(clock.instant());
            }
        } catch (RuntimeException failure) {
            long now = clock.millis();
            long logged = lastFailureLogged.get();
            if ((logged == Long.MIN_VALUE || now - logged >= LOG_EVERY.toMillis())
                    && lastFailureLogged.compareAndSet(logged, now)) {
                log.warn(
                        "The follow-up sweep failed, the next interval tries again ({}); logged at most once a minute",
                        LogValues.bounded(AwsErrors.message(failure)));
            }
        }
    }

    private Optional<Instant> readOldest(Instant now) {
        Optional<Instant> oldest = outbox.oldestPending().join();
        oldestAge = oldest.map(at -> at.isBefore(now) ? Duration.between(at, now) : Duration.ZERO)
                .orElse(Duration.ZERO);
        return oldest;
    }

    @Override
    public void start() {
        ScheduledExecutorService started = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("follow-up-sweeper").daemon().factory());
        started.scheduleWithFixedDelay(this::pass, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        executor = started;
    }

    @Override
    public void stop() {
        ScheduledExecutorService running = executor;
        executor = null;
        if (running != null) {
            running.shutdownNow();
            try {
                running.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return executor != null;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
