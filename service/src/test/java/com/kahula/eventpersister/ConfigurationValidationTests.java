package com.kahula.eventpersister;

import static org.assertj.core.api.Assertions.assertThat;

import com.kahula.eventpersister.config.PersisterProperties;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.ConfigDataApplicationContextInitializer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.context.annotation.Configuration;

/** Bad configuration stops start-up with a message that names the property; the shipped defaults bind. */
class ConfigurationValidationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withInitializer(new ConfigDataApplicationContextInitializer())
            .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
            .withUserConfiguration(PropertiesOnly.class);

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(PersisterProperties.class)
    static class PropertiesOnly {}

    @Test
    void shippedDefaultsBind() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            PersisterProperties properties = context.getBean(PersisterProperties.class);
            assertThat(properties.table().name()).isEqualTo("kahula-events-dev");
            assertThat(properties.queue().deadLetterName()).isEqualTo("kahula-event-persister-dev-dlq");
            assertThat(properties.followUp().rules()).hasSize(2);
            assertThat(properties.listener().maxMessagesPerPoll()).isEqualTo(10);
        });
    }

    @Test
    void theOutboxAndPauseSettingsHaveTheirDocumentedDefaults() {
        runner.run(context -> {
            PersisterProperties properties = context.getBean(PersisterProperties.class);
            assertThat(properties.store().pauseFailureRate()).isEqualTo(50);
            assertThat(properties.store().probeInterval()).isEqualTo(Duration.ofSeconds(5));
            assertThat(properties.followUp().sweepInterval()).isEqualTo(Duration.ofSeconds(15));
            assertThat(properties.followUp().sweepGrace()).isEqualTo(Duration.ofMinutes(2));
        });
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "persister.store.pause-failure-rate|1",
                "persister.store.pause-failure-rate|100",
                "persister.store.probe-interval|100ms",
                "persister.follow-up.sweep-interval|100ms"
            })
    void theLimitsOfTheOutboxAndPauseSettingsAreAccepted(String property, String value) {
        runner.withPropertyValues(property + "=" + value)
                .run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void theEcsProfileExportsMetricsToCloudWatchEveryMinuteAndLogsJson() {
        runner.withPropertyValues("spring.profiles.active=ecs").run(context -> {
            var environment = context.getEnvironment();
            assertThat(environment.getProperty("management.cloudwatch.metrics.export.namespace"))
                    .isEqualTo("EventPersister");
            assertThat(environment.getProperty("management.cloudwatch.metrics.export.step"))
                    .isEqualTo("1m");
            assertThat(environment.getProperty("management.metrics.tags.env")).isEqualTo("dev");
            assertThat(environment.getProperty("logging.structured.format.console"))
                    .isEqualTo("ecs");
        });
    }

    @Test
    void localRunsAndTestsExportNoMetricsAndLogText() {
        runner.withPropertyValues("spring.profiles.active=local").run(context -> {
            var environment = context.getEnvironment();
            assertThat(environment.getProperty("management.cloudwatch.metrics.export.namespace"))
                    .isNull();
            assertThat(environment.getProperty("logging.structured.format.console"))
                    .isNull();
        });
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "persister.table.name|''",
                "persister.env|''",
                "persister.listener.max-messages-per-poll|11",
                "persister.listener.max-messages-per-poll|0",
                "persister.store.call-timeout|-1s",
                "persister.follow-up.call-timeout|-5ms",
                "persister.listener.poll-timeout|30s",
                "persister.store.max-attempts|0",
                "persister.mapping.id-pointer|id",
                "persister.store.pause-failure-rate|0",
                "persister.store.pause-failure-rate|101",
                "persister.store.probe-interval|99ms",
                "persister.follow-up.sweep-interval|99ms",
                "persister.follow-up.sweep-grace|999ms",
                "persister.follow-up.sweep-grace|-1m",
                "persister.aws.io-threads|0",
                "persister.aws.io-threads|65"
            })
    void aBadValueFailsStartUpNamingTheProperty(String property, String value) {
        runner.withPropertyValues(property + "=" + value).run(context -> {
            assertThat(context).hasFailed();
            assertThat(messages(context.getStartupFailure())).contains(propertyPrefix(property));
        });
    }

    @Test
    void anEmptyRuleListSwitchesFollowUpsOff() {
        runner.withPropertyValues("persister.follow-up.rules=").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(PersisterProperties.class).followUp().rules())
                    .isEmpty();
        });
    }

    @Test
    void anInvalidRulePatternFailsStartUpNamingTheRule() {
        runner.withPropertyValues(
                        "persister.follow-up.rules[0].name=broken-rule",
                        "persister.follow-up.rules[0].pattern={\"detail-type\":[{\"suffix\":",
                        "persister.follow-up.rules[0].emit=ValidatableEvent")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(messages(context.getStartupFailure()))
                            .contains("persister.follow-up.rules[0]")
                            .contains("broken-rule")
                            .contains("not a valid EventBridge event pattern");
                });
    }

    /**
     * How the binder names the property: {@code listener.maxMessagesPerPoll} of object {@code persister} (the start-up
     * failure report prints it as {@code persister.listener.max-messages-per-poll}). The mapping record validates
     * itself, so its failure names the record, {@code persister.mapping}, and the pointer.
     */
    private static String propertyPrefix(String property) {
        if (property.startsWith("persister.mapping.")) {
            return "persister.mapping";
        }
        String path = property.substring("persister.".length());
        return java.util.regex.Pattern.compile("-([a-z])")
                .matcher(path)
                .replaceAll(m -> m.group(1).toUpperCase());
    }

    private static String messages(Throwable failure) {
        StringBuilder all = new StringBuilder();
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            all.append(cause.getMessage()).append('\n');
        }
        return all.toString();
    }
}
