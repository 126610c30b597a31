package com.kahula.eventpersister.config;

import static com.kahula.eventpersister.support.CloudFormationYaml.at;
import static org.assertj.core.api.Assertions.assertThat;

import com.kahula.eventpersister.support.CloudFormationYaml;
import com.kahula.eventpersister.support.RepositoryFiles;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Derives the ECS stack's queue timing from the service's retry budget, with the numbers the start-up check computes:
 * the visibility timeout holds one batch's budget with its margin, and the redrive policy lets a message live through 15
 * minutes of DynamoDB failing some of its writes, too few to pause the listener, without reaching the dead-letter queue.
 * (An EventBridge outage costs no receives, nor does DynamoDB failing most writes: {@code OutageIT}.)
 */
class QueueTimingTests {

    /** The partial outage the queue must ride out: DynamoDB failing some writes for 15 minutes. */
    private static final Duration OUTAGE = Duration.ofMinutes(15);

    private final Map<String, Object> template = CloudFormationYaml.read(RepositoryFiles.of("ecs/event-persister.yml"));
    private final RetryBudget budget = RetryBudget.of(RetryBudgetTests.properties(Map.of()));

    @Test
    void visibilityTimeoutHoldsOneBatchsRetryBudgetAsTheStartUpCheckRequires() {
        Duration visibilityTimeout = visibilityTimeout();

        // 12.25 s store + 21.3 s follow-ups = 33.55 s, x 1.2 = 41 s (the ack does not wait for the EMITTED mark)
        assertThat(budget.leastVisibilityTimeout()).isEqualTo(Duration.ofSeconds(41));
        assertThat(visibilityTimeout).isGreaterThanOrEqualTo(budget.leastVisibilityTimeout());
        VisibilityTimeoutCheck.require(visibilityTimeout, "kahula-event-persister-prod", budget);
    }

    @Test
    void aFifteenMinuteOutageMovesNoHealthyMessageToTheDeadLetterQueue() {
        // During the outage a receive may end in Retry: the message is not acknowledged and comes back after the
        // visibility timeout, so a message is received at most once per timeout, plus the receive that started it.
        long receivesDuringTheOutage =
                Math.ceilDiv(OUTAGE.toSeconds(), visibilityTimeout().toSeconds()) + 1;
        long withMargin = (long) Math.ceil(receivesDuringTheOutage * RetryBudget.MARGIN);

        assertThat(receivesDuringTheOutage).isEqualTo(16);
        assertThat((int) at(template, "Parameters", "MaxReceiveCount", "MinValue"))
                .as("no stack can be deployed with fewer receives than the outage costs")
                .isGreaterThanOrEqualTo((int) receivesDuringTheOutage);
        assertThat((int) at(template, "Parameters", "MaxReceiveCount", "Default"))
                .isGreaterThanOrEqualTo((int) withMargin)
                .isEqualTo(20);
    }

    private Duration visibilityTimeout() {
        return Duration.ofSeconds((int) at(template, "Resources", "Queue", "Properties", "VisibilityTimeout"));
    }
}
