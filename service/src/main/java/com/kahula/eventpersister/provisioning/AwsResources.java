package com.kahula.eventpersister.provisioning;

import java.time.Duration;
import java.util.Objects;

/**
 * What {@link AwsProvisioner} lays out for one environment: the queue with its dead-letter queue and redrive, the
 * table, and the bus with the rule that feeds the queue (named after the queue).
 */
public record AwsResources(
        String queue,
        String deadLetterQueue,
        Duration visibilityTimeout,
        int maxReceiveCount,
        String table,
        String bus,
        String rulePattern) {

    public AwsResources {
        requireText("queue", queue);
        requireText("deadLetterQueue", deadLetterQueue);
        requireText("table", table);
        requireText("bus", bus);
        requireText("rulePattern", rulePattern);
        Objects.requireNonNull(visibilityTimeout, "visibilityTimeout");
        if (visibilityTimeout.toSeconds() < 0 || visibilityTimeout.toSeconds() > 43_200) {
            throw new IllegalArgumentException("visibilityTimeout must be 0 to 12 hours, SQS's range");
        }
        if (maxReceiveCount < 1 || maxReceiveCount > 1000) {
            throw new IllegalArgumentException("maxReceiveCount must be 1 to 1000, SQS's range");
        }
    }

    /** The rule that routes the bus to the queue: one rule per queue. */
    public String rule() {
        return queue;
    }

    private static void requireText(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " is required");
        }
    }
}
