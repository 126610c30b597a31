package com.kahula.eventpersister.toolkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DeadLettersCommandTests {

    private static final Instant SENT = Instant.parse("2026-12-05T10:00:00Z");

    @ParameterizedTest
    @ValueSource(strings = {"summary", "show", "redrive", "export"})
    void eachSubcommandExplainsItselfWithHelp(String subcommand) {
        ToolkitTests.Run run = ToolkitTests.run("dead-letters", subcommand, "--help");

        assertThat(run.code()).isZero();
        assertThat(run.out())
                .contains("Usage: event-persister dead-letters " + subcommand)
                .contains("--hold")
                .contains("Exit codes:");
    }

    @Test
    void refusesArgumentsItCannotUseBeforeCallingAws(@TempDir Path work) throws Exception {
        Path existing = Files.writeString(work.resolve("taken.ndjson"), "");

        assertThat(ToolkitTests.run("dead-letters", "show", "--limit", "0").err())
                .contains("--limit must be at least 1, was 0");
        assertThat(ToolkitTests.run("dead-letters", "redrive", "--max-rate", "0")
                        .err())
                .contains("--max-rate must be at least 1, was 0");
        ToolkitTests.Run export = ToolkitTests.run("dead-letters", "export", "--to", existing.toString());
        assertThat(export.code()).isEqualTo(2);
        assertThat(export.err()).contains("exists: name a new file");
        assertThat(ToolkitTests.run("dead-letters", "export").code()).isEqualTo(2);
        assertThat(ToolkitTests.run("dead-letters", "summary", "--hold", "soon").code())
                .isEqualTo(2);
        assertThat(ToolkitTests.run("dead-letters").code()).isEqualTo(2);
    }

    @Test
    void aMessageWithoutTheServicesReasonWasMovedByTheRedrivePolicy() {
        DeadLetter moved = new DeadLetter("m-1", "{}", Map.of(), SENT, 6);
        DeadLetter parked = new DeadLetter(
                "m-2",
                "{}",
                Map.of(
                        "persister-error", DeadLetter.Attribute.text("conflict"),
                        "persister-error-detail", DeadLetter.Attribute.text("stored with another hash"),
                        "persister-stored-hash", DeadLetter.Attribute.text("ab12"),
                        "persister-restore", DeadLetter.Attribute.text("without-follow-ups")),
                SENT,
                1);

        assertThat(moved.reason()).isEqualTo("retries-exhausted");
        assertThat(moved.detail()).contains("received 6 times");
        assertThat(parked.reason()).isEqualTo("conflict");
        assertThat(parked.detail()).isEqualTo("stored with another hash");
        assertThat(parked.storedHash()).contains("ab12");
        assertThat(parked.originalAttributes())
                .as("what it arrived with, the service's own left out")
                .containsOnlyKeys("persister-restore");
        assertThat(parked.age(SENT.plusSeconds(90)).toSeconds()).isEqualTo(90);
        assertThat(parked.age(SENT.minusSeconds(5))).isZero();
    }

    @Test
    void judgesWithTheParserTheServiceBindsFromItsSettingsAndEnvironment() {
        assertThat(ServiceSettings.load(Map.of()).listener().maxBodyBytes()).isEqualTo(262_144);
        // both forms the service binds: dashes removed (as the README writes them), or each word apart
        assertThat(ServiceSettings.load(Map.of("PERSISTER_LISTENER_MAXBODYBYTES", "65536"))
                        .listener()
                        .maxBodyBytes())
                .isEqualTo(65_536);
        assertThat(ServiceSettings.load(Map.of("PERSISTER_LISTENER_MAX_BODY_BYTES", "65537"))
                        .listener()
                        .maxBodyBytes())
                .isEqualTo(65_537);
        assertThat(ServiceSettings.load(Map.of("PERSISTER_MAPPING_IDPOINTER", "/meta/id"))
                        .mapping()
                        .idPointer())
                .isEqualTo("/meta/id");
    }

    @Test
    void anAttributeHasOneValueTextOrBinary() {
        assertThatThrownBy(() -> new DeadLetter.Attribute("String", null, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DeadLetter.Attribute("Binary", "x", "eA=="))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new DeadLetter.Attribute("Binary", null, "eA==").binaryBase64())
                .isEqualTo("eA==");
    }
}
