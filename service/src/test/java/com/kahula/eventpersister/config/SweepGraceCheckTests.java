package com.kahula.eventpersister.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.ConfigDataApplicationContextInitializer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Start-up refuses a sweep grace shorter than the time the batch's own send of a follow-up and its mark may take, and
 * names the property. The budgets are worked out here by hand from the shipped defaults: the store's write, 5 attempts
 * of 2 s and backoffs of 100, 200, 400, 800 ms with +50 % jitter, is 12.25 s; the follow-ups' PutEvents, 6 attempts of
 * 2 s and backoffs of 200, 400, 800, 1600, 3200 ms with +50 %, is 21.3 s; the mark is the store's 12.25 s again:
 * 45.8 s in all.
 */
class SweepGraceCheckTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withInitializer(new ConfigDataApplicationContextInitializer())
            .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
            .withUserConfiguration(SweepGraceOnly.class);

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(PersisterProperties.class)
    static class SweepGraceOnly {

        @Bean
        Duration sweepGrace(PersisterProperties properties) {
            return ListenerConfiguration.sweepGrace(properties);
        }
    }

    @Test
    void theShippedGraceHoldsTheShippedBudgets() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(Duration.class)).isEqualTo(Duration.ofMinutes(2));
        });
    }

    @Test
    void aGraceShorterThanTheRetryBudgetAndTheMarkTogetherStopsStartUpNamingTheProperty() {
        runner.withPropertyValues("persister.follow-up.sweep-grace=45799ms").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure())
                    .rootCause()
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("persister.follow-up.sweep-grace is 45799 ms, below the 45800 ms")
                    .hasMessageContaining("retry budget 33.6 s (store 12.3 s, follow-up 21.3 s), mark 12250 ms");
        });
    }

    @Test
    void aGraceAsLongAsTheBudgetsIsAccepted() {
        runner.withPropertyValues("persister.follow-up.sweep-grace=45800ms")
                .run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void theLeastGraceFollowsTheRetrySettings() {
        // one store attempt: 2 s for the write and 2 s for the mark, with the follow-ups' 21.3 s: 25.3 s
        runner.withPropertyValues("persister.store.max-attempts=1", "persister.follow-up.sweep-grace=25300ms")
                .run(context -> assertThat(context).hasNotFailed());
        runner.withPropertyValues("persister.store.max-attempts=1", "persister.follow-up.sweep-grace=25299ms")
                .run(context -> assertThat(context.getStartupFailure())
                        .rootCause()
                        .hasMessageContaining("persister.follow-up.sweep-grace is 25299 ms, below the 25300 ms"));
    }
}
