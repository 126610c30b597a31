package com.kahula.eventpersister.config;

import com.kahula.eventpersister.aws.AwsErrors;
import com.kahula.eventpersister.listener.ListenerPause;
import com.kahula.eventpersister.observability.LogValues;
import com.kahula.eventpersister.store.EventStore;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The store's circuit breaker as the listener obeys it: while it is not closed (DynamoDB failed for most writes) the
 * listener takes no messages, and a probe, never a message, asks the table every probe interval whether it takes
 * writes again; its success closes the circuit and the listener resumes.
 */
final class StoreCircuit implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(StoreCircuit.class);
    // Before the listener container (the last phase), so that it stops after the container and starts before it.
    private static final int PHASE = Integer.MAX_VALUE - 1000;
    private static final long TICK_MILLIS = 200;

    /** Since when the listener is paused, and the failure rate that opened the circuit then. */
    private record Pause(Instant since, float failureRate) {}

    private final CircuitBreaker breaker;
    private final EventStore store;
    private final ScheduledExecutorService scheduler;
    private final ListenerPause listenerPause = new ListenerPause(this::paused);
    private final AtomicReference<@Nullable String> lastFailure = new AtomicReference<>();
    private final AtomicReference<@Nullable Pause> pause = new AtomicReference<>();
    private volatile @Nullable ScheduledFuture<?> probing;

    StoreCircuit(CircuitBreaker breaker, EventStore store, ScheduledExecutorService scheduler) {
        this.breaker = breaker;
        this.store = store;
        this.scheduler = scheduler;
        breaker.getEventPublisher()
                .onError(error -> lastFailure.set(LogValues.bounded(AwsErrors.message(error.getThrowable()))))
                .onStateTransition(event -> changed(event.getStateTransition()));
    }

    /** Whether the listener is to take no messages. */
    boolean paused() {
        return switch (breaker.getState()) {
            case CLOSED, DISABLED, METRICS_ONLY -> false;
            case OPEN, HALF_OPEN, FORCED_OPEN -> true;
        };
    }

    /**
     * Why the listener is paused, since when; empty while it is not. The rate is the one that opened the circuit (the
     * breaker's own is reset while half open); the last failure is the most recent one, a failed probe's included.
     */
    Optional<String> pausedBecause() {
        Pause now = pause.get();
        return now == null || !paused()
                ? Optional.empty()
                : Optional.of(("DynamoDB failed %.0f %% of the last writes (last: %s) since %s; the listener takes no"
                                + " messages and probes the table")
                        .formatted(now.failureRate(), lastFailure.get(), now.since()));
    }

    /** The back-pressure handler that keeps the listener from polling while paused. */
    ListenerPause listenerPause() {
        return listenerPause;
    }

    private void changed(CircuitBreaker.StateTransition transition) {
        switch (transition.getToState()) {
            case OPEN, FORCED_OPEN -> {
                if (pause.compareAndSet(
                        null, new Pause(Instant.now(), breaker.getMetrics().getFailureRate()))) {
                    log.warn(
                            "DynamoDB failed {} % of the last writes ({}): the listener stops taking messages, which"
                                    + " stay in the queue, and probes the table until it takes writes again",
                            Math.round(breaker.getMetrics().getFailureRate()), lastFailure.get());
                }
            }
            case CLOSED -> {
                Pause ended = pause.getAndSet(null);
                if (ended != null) {
                    log.info(
                            "DynamoDB takes writes again: the listener resumes after a pause of {}",
                            Duration.between(ended.since(), Instant.now()));
                }
            }
            default -> {
                // HALF_OPEN: the probe decides
            }
        }
        listenerPause.changed();
    }

    private void probeIfPaused() {
        if (breaker.getState() == CircuitBreaker.State.HALF_OPEN) {
            try {
                // the probe's failure is counted by the circuit breaker itself
                store.probe().exceptionally(failure -> null);
            } catch (RuntimeException notPermitted) {
                // another probe holds the half-open circuit's one permitted call
            }
        }
    }

    @Override
    public void start() {
        probing =
                scheduler.scheduleWithFixedDelay(this::probeIfPaused, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        ScheduledFuture<?> running = probing;
        if (running != null) {
            running.cancel(false);
        }
        probing = null;
    }

    @Override
    public boolean isRunning() {
        return probing != null;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
