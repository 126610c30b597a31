package com.kahula.eventpersister.toolkit;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.sqs.SqsClient;

/** {@code dead-letters summary}: counts by reason, ages, receive counts, top detail-types and sources. */
@Command(
        name = "summary",
        mixinStandardHelpOptions = true,
        description = {
            "Counts the messages by reason, with the oldest and newest age, the range of SQS's receive count (this"
                    + " read included) and the " + DeadLetterTally.TOP
                    + " most frequent detail-types and sources of each."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done (also when the queue is empty)", "1:failed while reading", "2:wrong arguments"})
final class DeadLettersSummaryCommand extends ToolkitCommand implements Callable<Integer> {

    @Mixin
    DeadLettersCommand.Reading reading = new DeadLettersCommand.Reading();

    @Option(names = "--format", defaultValue = "table", description = "table or ndjson; default: ${DEFAULT-VALUE}.")
    DeadLettersCommand.Format format = DeadLettersCommand.Format.table;

    @Override
    public Integer call() {
        Instant now = Clock.systemUTC().instant();
        Map<String, DeadLetterTally> tallies = new TreeMap<>();
        Progress progress = new Progress(commandLine().getErr(), "dead-letters summary");
        long[] read = {0};
        try (SqsClient sqs = reading.aws.sqs();
                SqsDeadLetters deadLetters = reading.open(sqs)) {
            deadLetters.read(letter -> {
                tallies.computeIfAbsent(letter.reason(), reason -> new DeadLetterTally())
                        .add(letter, now);
                read[0]++;
                progress.tick(read[0], () -> "read " + read[0]);
                return true;
            });
        }
        PrintWriter out = commandLine().getOut();
        if (format == DeadLettersCommand.Format.table) {
            out.printf(
                    DeadLetterTally.LINE,
                    "REASON",
                    "COUNT",
                    "RECEIVES",
                    "OLDEST",
                    "NEWEST",
                    "TOP DETAIL-TYPES",
                    "TOP SOURCES");
            tallies.forEach((reason, tally) -> out.print(tally.table(reason)));
            out.printf("%d messages, %d reasons%n", read[0], tallies.size());
        } else {
            tallies.forEach((reason, tally) -> out.println(tally.ndjson(reason)));
        }
        out.flush();
        return 0;
    }
}
