package com.kahula.eventpersister.toolkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The commands' arguments: help, and every wrong argument refused with a clear message and exit code 2. */
class ToolkitTests {

    record Run(int code, String out, String err) {}

    @ParameterizedTest
    @ValueSource(strings = {"saga", "restore", "replay"})
    void eachCommandExplainsItselfWithHelp(String command) {
        Run run = run(command, "--help");

        assertThat(run.code()).isZero();
        assertThat(run.out()).contains("Usage: event-persister " + command).contains("Exit codes:");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '"',
            value = {
                "saga|Missing required parameter: '<sagaId>'",
                "saga s-1 --format xml|Invalid value for option '--format'",
                "saga s-1 --page-size 0|--page-size must be 1 to 1000, was 0",
                "saga s-1 --limit 0|--limit must be at least 1, was 0",
                "saga s-1 --starting-token nonsense|--starting-token is not a token this command printed",
                "saga s-1 --colour|Unknown option: '--colour'",
                "restore --since 2026-11-27T09:00:00Z --until 2026-11-27T10:00:00Z|Missing required option: '--from",
                "restore --from http://bucket/events/ --since 2026-11-27T09:00:00Z --until 2026-11-27T10:00:00Z"
                        + "|--from: 'http://bucket/events/' is not an S3 location like s3://bucket/events/",
                "restore --from s3://b/events/ --since yesterday --until 2026-11-27T10:00:00Z"
                        + "|'yesterday' is not an ISO-8601 time with an offset, like 2026-11-27T10:00:00Z",
                "restore --from s3://b/events/ --since 2026-11-27T10:00:00Z --until 2026-11-27T09:00:00Z"
                        + "|--since must be before --until",
                "restore --from s3://b/events/ --since 2026-11-27T09:00:00Z --until 2026-11-27T10:00:00Z --shard 3/2"
                        + "|--shard: must be i/n with 1 <= i <= n, was 3/2",
                "restore --from s3://b/events/ --since 2026-11-27T09:00:00Z --until 2026-11-27T10:00:00Z --shard x"
                        + "|--shard: must be i/n, like 2/4, was 'x'",
                "restore --from s3://b/events/ --since 2026-11-27T09:00:00Z --until 2026-11-27T10:00:00Z"
                        + " --max-rate 0|--max-rate must be at least 1, was 0",
                "replay|Error: Missing required argument (specify one of these): (--saga=<saga> | (--since=<since>"
                        + " --until=<until>))",
                "replay --saga s-1 --since 2026-11-27T09:00:00Z --until 2026-11-27T10:00:00Z|mutually exclusive",
                "replay --since 2026-11-27T09:00:00Z|Missing required argument(s): --until=<until>",
                "replay --since 2026-11-27T10:00:00Z --until 2026-11-27T09:00:00Z|--since must be before --until",
                "replay --saga s-1 --name=|--name must not be blank"
            })
    void refusesWrongArgumentsWithAClearMessageAndExitCode2(String arguments, String message) {
        Run run = run(arguments.split(" "));

        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains(message).contains("Usage:");
        assertThat(run.out()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"saga", "restore", "replay"})
    void onlyTheToolkitsCommandsKeepTheServiceFromStarting(String command) {
        assertThat(Toolkit.handles(new String[] {command, "--help"})).isTrue();
        assertThat(Toolkit.handles(new String[] {"--spring.profiles.active=local"}))
                .isFalse();
        assertThat(Toolkit.handles(new String[] {})).isFalse();
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Toolkit.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }
}
