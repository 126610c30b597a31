package com.kahula.eventpersister.observability;

import com.kahula.eventpersister.aws.AwsErrors;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Readiness of the service's own access to AWS: DOWN after a failure that is the service's fault, not the message's
 * (no permission, a missing table, queue or bus, bad credentials), with the cause, until the store answers again or a
 * minute has passed; such messages are left for redelivery, never parked.
 */
public final class AwsAccessHealthIndicator implements HealthIndicator {

    static final Duration HOLD = Duration.ofMinutes(1);

    private record Fault(Instant at, String cause) {}

    private final Clock clock;
    private volatile @Nullable Fault last;
    private final AtomicLong lastLoggedMillis = new AtomicLong(Long.MIN_VALUE);

    public AwsAccessHealthIndicator(Clock clock) {
        this.clock = clock;
    }

    /**
     * Records a failure that is the service's fault; true when it should be logged, which is at most once a minute
     * however many messages meet it.
     */
    boolean report(Throwable cause) {
        Instant now = clock.instant();
        last = new Fault(now, LogValues.bounded(AwsErrors.message(cause)));
        long logged = lastLoggedMillis.get();
        return (logged == Long.MIN_VALUE || now.toEpochMilli() - logged >= HOLD.toMillis())
                && lastLoggedMillis.compareAndSet(logged, now.toEpochMilli());
    }

    /** The store answered a message: whatever kept the service from its work is over. */
    void recovered() {
        last = null;
    }

    @Override
    public Health health() {
        Fault fault = last;
        if (fault != null && clock.instant().isBefore(fault.at().plus(HOLD))) {
            return Health.down()
                    .withDetail("cause", fault.cause())
                    .withDetail("at", fault.at().toString())
                    .build();
        }
        return Health.up().build();
    }
}
