package com.kahula.eventpersister.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNoException;

import com.kahula.eventpersister.support.BoundProperties;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RetryBudgetTests {

    @Test
    void addsEveryAttemptAtItsTimeoutAndTheLongestBackoffBetweenThem() {
        // 3 attempts of 2 s; backoffs 100 ms and 200 ms, each up to +50 %
        assertThat(RetryBudget.worstCase(3, Duration.ofSeconds(2), Duration.ofMillis(100), Duration.ofSeconds(2)))
                .isEqualTo(Duration.ofMillis(6_000 + 150 + 300));
        // backoffs capped at 250 ms before the jitter
        assertThat(RetryBudget.worstCase(4, Duration.ofSeconds(1), Duration.ofMillis(200), Duration.ofMillis(250)))
                .isEqualTo(Duration.ofMillis(4_000 + 300 + 375 + 375));
    }

    @Test
    void theDefaultsFitTheDefaultVisibilityTimeoutWithTheEmittedMarkOffTheAcknowledgementsPath() {
        RetryBudget budget = RetryBudget.of(properties(Map.of()));

        // the store's budget plus the follow-up's; the acknowledgement does not wait for the EMITTED mark
        assertThat(budget.total()).isEqualTo(Duration.ofMillis(33_550));
        assertThat(budget.leastVisibilityTimeout()).isEqualTo(Duration.ofSeconds(41));
        assertThat(properties(Map.of()).provisioning().visibilityTimeout())
                .isGreaterThanOrEqualTo(budget.leastVisibilityTimeout());
    }

    @Test
    void startUpRefusesAQueueWhoseVisibilityTimeoutIsBelowTheBudget() {
        RetryBudget budget = RetryBudget.of(properties(Map.of()));

        assertThatIllegalStateException()
                .isThrownBy(() ->
                        VisibilityTimeoutCheck.require(Duration.ofSeconds(30), "kahula-event-persister-dev", budget))
                .withMessageContaining("visibility timeout of 30 s")
                .withMessageContaining("below the 41 s")
                .withMessageContaining("33.6 s")
                .withMessageContaining("persister.provisioning.visibility-timeout")
                .withMessageContaining("persister.store.max-attempts")
                .withMessageContaining("persister.follow-up.call-timeout");
    }

    @Test
    void startUpAcceptsAQueueThatHoldsTheBudget() {
        RetryBudget budget = RetryBudget.of(properties(Map.of("persister.store.max-attempts", "2")));

        assertThatNoException()
                .isThrownBy(() -> VisibilityTimeoutCheck.require(
                        budget.leastVisibilityTimeout(), "kahula-event-persister-dev", budget));
    }

    /** The properties as the service binds them: its defaults, the required names, and the overrides. */
    static PersisterProperties properties(Map<String, String> overrides) {
        return BoundProperties.of(overrides);
    }
}
