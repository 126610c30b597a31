package com.kahula.eventpersister.config;

import java.time.Duration;

/**
 * The longest one batch can take under the configured retry policies: the store's write, then the follow-ups'
 * PutEvents, each through every attempt at its full call timeout with the longest backoff between attempts; the batch
 * waits for its slowest message. The acknowledgement does not wait for the EMITTED mark (its write starts before it,
 * unawaited), so the mark is not part of the batch's time; its own budget ({@link #mark()}) is what a stopping service waits for the marks still being written.
 */
public record RetryBudget(Duration store, Duration followUp, Duration mark) {

    /** The queue's visibility timeout must exceed the budget by this factor, for the time SQS and the JVM take. */
    static final double MARGIN = 1.2;

    // ResilienceConfiguration.backoffWithJitter: each backoff is randomised up to +50 % of its capped value.
    private static final double JITTER = 1.5;

    static RetryBudget of(PersisterProperties properties) {
        PersisterProperties.Store store = properties.store();
        PersisterProperties.FollowUps followUp = properties.followUp();
        Duration storeBudget =
                worstCase(store.maxAttempts(), store.callTimeout(), store.initialBackoff(), store.maxBackoff());
        return new RetryBudget(
                storeBudget,
                worstCase(
                        followUp.maxAttempts(),
                        followUp.callTimeout(),
                        followUp.initialBackoff(),
                        followUp.maxBackoff()),
                storeBudget);
    }

    /** The store's write, then the follow-ups' PutEvents: what holds a message's acknowledgement. */
    public Duration total() {
        return store.plus(followUp);
    }

    /** The least visibility timeout that holds the budget with its margin, in whole seconds as SQS sets it. */
    public Duration leastVisibilityTimeout() {
        return Duration.ofSeconds((long) Math.ceil(total().toMillis() * MARGIN / 1000.0));
    }

    static Duration worstCase(int attempts, Duration callTimeout, Duration initialBackoff, Duration maxBackoff) {
        Duration total = callTimeout.multipliedBy(attempts);
        Duration backoff = initialBackoff;
        for (int retry = 1; retry < attempts; retry++) {
            Duration capped = backoff.compareTo(maxBackoff) > 0 ? maxBackoff : backoff;
            total = total.plusMillis((long) Math.ceil(capped.toMillis() * JITTER));
            backoff = backoff.multipliedBy(2);
        }
        return total;
    }

    @Override
    public String toString() {
        return "%.1f s (store %.1f s, follow-up %.1f s)".formatted(seconds(total()), seconds(store), seconds(followUp));
    }

    private static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }
}
