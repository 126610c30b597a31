package com.kahula.eventpersister.toolkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.kahula.eventpersister.event.StoredEvent;
import com.kahula.eventpersister.followup.FollowUpRule;
import com.kahula.eventpersister.store.FollowUpMark;
import com.kahula.eventpersister.store.FollowUpOutbox.Waiting;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

/** {@code followups}: its help, its wrong arguments (exit code 2), its ages, its lines, and the settings it sends by. */
class FollowUpsCommandTests {

    @ParameterizedTest
    @ValueSource(strings = {"followups", "followups pending", "followups send", "followups backfill"})
    void explainsItselfWithHelp(String command) {
        ToolkitTests.Run run = ToolkitTests.run((command + " --help").split(" "));

        assertThat(run.code()).isZero();
        assertThat(run.out()).contains("Usage: event-persister " + command).contains("Exit codes:");
        assertThat(Toolkit.handles(command.split(" "))).isTrue();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '"',
            value = {
                "followups|Missing required subcommand",
                "followups list|Unmatched argument at index 1: 'list'",
                "followups pending --older-than soon" + "|'soon' is not a duration like 90s, 10m, 2h, 1d or PT10M",
                "followups pending --older-than -5m|'-5m' is negative",
                "followups pending --format xml|Invalid value for option '--format'",
                "followups pending --dry-run|Unknown option: '--dry-run'",
                "followups send --older-than 10 minutes|Unmatched argument at index 4: 'minutes'",
                "followups send --format ndjson|Unknown options: '--format', 'ndjson'",
                "followups backfill --older-than 1h|Unknown options: '--older-than', '1h'"
            })
    void refusesWrongArgumentsWithAClearMessageAndExitCode2(String arguments, String message) {
        ToolkitTests.Run run = ToolkitTests.run(arguments.split(" "));

        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains(message).contains("Usage:");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void failsWithOneLineAndExitCode1WhenAwsDoesNotAnswer() {
        // credentials of its own, so that the SDK's chain looks nowhere else (no instance metadata); nothing listens
        // on port 1 of the loopback: every call is refused, through every retry
        System.setProperty("aws.accessKeyId", "test");
        System.setProperty("aws.secretAccessKey", "test");
        ToolkitTests.Run run;
        try {
            run = ToolkitTests.run(
                    "followups",
                    "pending",
                    "--env",
                    "nowhere",
                    "--region",
                    "us-east-1",
                    "--endpoint-url",
                    "http://127.0.0.1:1");
        } finally {
            System.clearProperty("aws.accessKeyId");
            System.clearProperty("aws.secretAccessKey");
        }

        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err())
                .startsWith("followups pending failed: ")
                .contains("127.0.0.1:1")
                .doesNotContain("\tat ");
        assertThat(run.err().lines()).hasSize(1);
    }

    @ParameterizedTest
    @CsvSource({"90s,PT1M30S", "10m,PT10M", "2h,PT2H", "1d,PT24H", "PT10M,PT10M", "0s,PT0S", " 5m ,PT5M"})
    void readsAgesAsTheServicesSettingsDo(String text, String expected) {
        assertThat(new TimeFormats.AgeConverter().convert(text)).isEqualTo(Duration.parse(expected));
    }

    @Test
    void refusesNegativeAges() {
        assertThatThrownBy(() -> new TimeFormats.AgeConverter().convert("-PT1M"))
                .isInstanceOf(TypeConversionException.class)
                .hasMessage("'-PT1M' is negative");
    }

    @ParameterizedTest
    @CsvSource({
        "0,0s",
        "45,45s",
        "59,59s",
        "60,1m00s",
        "723,12m03s",
        "3599,59m59s",
        "3600,1h00m",
        "7500,2h05m",
        "86399,23h59m",
        "86400,1d00h",
        "273600,3d04h"
    })
    void showsAnAgeAsAPersonReadsIt(long seconds, String shown) {
        assertThat(TimeFormats.age(Duration.ofSeconds(seconds))).isEqualTo(shown);
    }

    @Test
    void printsARejectedFollowUpOnOneLineAndAsJson() {
        Waiting rejected = new Waiting(
                new StoredEvent(
                        "0b6f8a52-6a0e-4d55-9a53-8f3c2f1d7e01",
                        "2c7726a42231680e9c339b6edea694715746e66af75513f6b7c788fa9bb1fc13",
                        "0b6f8a52-6a0e-4d55-9a53-8f3c2f1d7e01",
                        "7c1a0d6e-0f4b-4f7e-9a51-3d2c1b0a9e01",
                        null,
                        "ProductUpdatedEvent",
                        "com.kahula.catalog.ProductUpdatedEvent",
                        "2026-11-27T10:00:00.123Z",
                        "catalog",
                        "kahula.catalog",
                        "{}",
                        "2026-11-27T10:00:01.000Z",
                        null),
                new FollowUpMark(
                        "9d0c4a1e-5b6f-5c7d-8e9f-0a1b2c3d4e5f", "ValidatableEvent", FollowUpMark.Status.REJECTED),
                "MalformedDetail: \"bad\"\nsecond line");
        FollowUpRow row = FollowUpRow.of(rejected, Instant.parse("2026-11-27T12:05:31Z"));

        assertThat(row.table())
                .isEqualTo("0b6f8a52-6a0e-4d55-9a53-8f3c2f1d7e01  ProductUpdatedEvent           ValidatableEvent    "
                        + "  9d0c4a1e-5b6f-5c7d-8e9f-0a1b2c3d4e5f  REJECTED  2026-11-27T10:00:01.000Z  2h05m    "
                        + "MalformedDetail: \"bad\" second line" + System.lineSeparator());
        assertThat(row.ndjson())
                .isEqualTo(
                        "{\"unique_id\":\"0b6f8a52-6a0e-4d55-9a53-8f3c2f1d7e01\",\"event_name\":\"ProductUpdatedEvent\","
                                + "\"follow_up_type\":\"ValidatableEvent\","
                                + "\"follow_up_id\":\"9d0c4a1e-5b6f-5c7d-8e9f-0a1b2c3d4e5f\",\"status\":\"REJECTED\","
                                + "\"received_at\":\"2026-11-27T10:00:01.000Z\",\"age_seconds\":7530,"
                                + "\"error\":\"MalformedDetail: \\\"bad\\\"\\nsecond line\"}" + System.lineSeparator());
        assertThat(FollowUpRow.HEADER).startsWith("UNIQUE ID").contains("  FOLLOW-UP ID  ", "  ERROR");
    }

    @Test
    void sendsWithTheSettingsTheServiceBindsFromItsApplicationYaml() {
        ServiceSettings settings = ServiceSettings.load(Map.of());

        // application.yml's values, and PersisterProperties' defaults where it sets none
        assertThat(settings.followUp().source()).isEqualTo("kahula.event-persister");
        assertThat(settings.followUp().rules())
                .extracting(FollowUpRule::name, FollowUpRule::emit)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("updated-to-validatable", "ValidatableEvent"),
                        org.assertj.core.groups.Tuple.tuple("validated-to-indexable", "IndexableEvent"));
        assertThat(settings.followUp().maxEntryBytes()).isEqualTo(262_144);
        assertThat(settings.followUp().sweepGrace()).isEqualTo(Duration.ofMinutes(2));
        assertThat(settings.store().maxAttempts()).isEqualTo(5);
    }

    @Test
    void theEnvironmentOverridesTheSettingsAsItDoesTheServices() {
        ServiceSettings settings = ServiceSettings.load(Map.of(
                "PERSISTER_FOLLOW_UP_SOURCE", "kahula.other",
                "PERSISTER_FOLLOW_UP_SWEEP_GRACE", "5m",
                "PERSISTER_STORE_MAX_ATTEMPTS", "3"));

        assertThat(settings.followUp().source()).isEqualTo("kahula.other");
        assertThat(settings.followUp().sweepGrace()).isEqualTo(Duration.ofMinutes(5));
        assertThat(settings.store().maxAttempts()).isEqualTo(3);
    }
}
