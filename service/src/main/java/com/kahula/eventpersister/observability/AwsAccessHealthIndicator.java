package com.kahula.eventpersister.observability;

import com.kahula.eventpersister.aws.AwsErrors;
import com.kahula.eventpersister.followup.FollowUp;
import com.kahula.eventpersister.followup.PublicationListener;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.eventbridge.model.EventBridgeException;
import software.amazon.awssdk.services.sqs.model.SqsException;

/**
 * Readiness of the service's own access to AWS: DOWN after a failure that is the service's fault, not the message's
 * (no permission, a missing table, queue or bus, bad credentials), with the cause per AWS service, until a minute has
 * passed without another or until that service answers again (the store a write, the bus a follow-up); such messages
 * are left for redelivery, never parked.
 */
public final class AwsAccessHealthIndicator implements HealthIndicator {

    static final Duration HOLD = Duration.ofMinutes(1);
    private static final String STORE = "DynamoDB";
    private static final String BUS = "EventBridge";

    private record Fault(Instant at, String cause) {}

    private final Clock clock;
    private final Map<String, Fault> faults = new ConcurrentHashMap<>();
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
        faults.put(service(cause), new Fault(now, LogValues.bounded(AwsErrors.message(cause))));
        long logged = lastLoggedMillis.get();
        return (logged == Long.MIN_VALUE || now.toEpochMilli() - logged >= HOLD.toMillis())
                && lastLoggedMillis.compareAndSet(logged, now.toEpochMilli());
    }

    /** The store answered a message: whatever kept the service from its table is over. */
    void storeAnswered() {
        faults.remove(STORE);
    }

    /**
     * {@code listener}, and the bus's acceptance of a follow-up ends whatever kept the service from the bus, as the
     * store's answer does for the table.
     */
    public PublicationListener clearingBusFaultOnAcceptance(PublicationListener listener) {
        return new PublicationListener() {
            @Override
            public void emitted(FollowUp followUp) {
                faults.remove(BUS);
                listener.emitted(followUp);
            }

            @Override
            public void retried(FollowUp followUp) {
                listener.retried(followUp);
            }

            @Override
            public void failed(FollowUp followUp) {
                listener.failed(followUp);
            }
        };
    }

    @Override
    public Health health() {
        Instant now = clock.instant();
        Map<String, Object> current = new TreeMap<>();
        faults.forEach((service, fault) -> {
            if (now.isBefore(fault.at().plus(HOLD))) {
                current.put(
                        service, Map.of("cause", fault.cause(), "at", fault.at().toString()));
            }
        });
        return current.isEmpty()
                ? Health.up().build()
                : Health.down().withDetails(current).build();
    }

    private static String service(Throwable cause) {
        Throwable failure = AwsErrors.unwrap(cause);
        if (failure instanceof DynamoDbException) {
            return STORE;
        }
        if (failure instanceof EventBridgeException) {
            return BUS;
        }
        return failure instanceof SqsException ? "SQS" : "AWS";
    }
}
