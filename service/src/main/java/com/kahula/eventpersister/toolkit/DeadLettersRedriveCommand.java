package com.kahula.eventpersister.toolkit;

import com.kahula.eventpersister.toolkit.DeadLetterVerdicts.Judged;
import com.kahula.eventpersister.toolkit.DeadLetterVerdicts.Kind;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/** {@code dead-letters redrive}: judges every selected message, then moves back only those that can succeed. */
@Command(
        name = "redrive",
        mixinStandardHelpOptions = true,
        description = {
            "Judges every selected message with today's parser and table: would be stored, a duplicate (its row is"
                    + " stored with the same hash), a conflict, or rejected again (and why); prints the counts."
                    + " Then, unless --dry-run, moves to the source queue only those that would be stored or"
                    + " are duplicates, with the attributes they arrived with (persister-restore included), and"
                    + " leaves the others where they are.",
            "A move sends before it deletes: a stop in between leaves a message on both queues, and the table"
                    + " stores it once. Run it again to continue."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done", "1:failed while running; run it again", "2:wrong arguments"})
final class DeadLettersRedriveCommand extends ToolkitCommand implements Callable<Integer> {

    @Mixin
    DeadLettersCommand.Reading reading = new DeadLettersCommand.Reading();

    @Mixin
    DeadLettersCommand.Reasons reasons = new DeadLettersCommand.Reasons();

    @Option(names = "--dry-run", description = "Judge and count, move nothing.")
    boolean dryRun;

    @Option(
            names = "--max-rate",
            paramLabel = "N",
            description = "At most N messages moved a second (default: as fast as SQS answers).")
    @Nullable
    Integer maxRate;

    @Override
    public Integer call() {
        if (maxRate != null && maxRate < 1) {
            throw usage("--max-rate must be at least 1, was " + maxRate);
        }
        Instant now = Clock.systemUTC().instant();
        ServiceSettings settings = ServiceSettings.load();
        PrintWriter out = commandLine().getOut();
        Progress progress = new Progress(commandLine().getErr(), "dead-letters redrive");
        try (SqsClient sqs = reading.aws.sqs();
                DynamoDbClient dynamoDb = reading.aws.dynamoDb();
                SqsDeadLetters deadLetters = reading.open(sqs)) {
            List<DeadLetter> selected = new ArrayList<>();
            deadLetters.read(letter -> {
                if (reasons.selects(letter)) {
                    selected.add(letter);
                }
                return true;
            });
            List<Judged> judged = DeadLettersCommand.judgeAll(
                    DeadLettersCommand.verdicts(settings, dynamoDb, reading.aws), selected, now);
            Map<Kind, Long> counts = new EnumMap<>(Kind.class);
            Map<String, Long> whyNot = new TreeMap<>();
            for (Judged one : judged) {
                counts.merge(one.verdict().kind(), 1L, Long::sum);
                if (!one.verdict().kind().movable()) {
                    whyNot.merge(firstWords(one.verdict()), 1L, Long::sum);
                }
            }
            out.printf(
                    "dead-letters redrive%s: %d selected: would be stored %d, duplicates %d, conflicts %d,"
                            + " rejected again %d%n",
                    dryRun ? " (dry run)" : "",
                    judged.size(),
                    counts.getOrDefault(Kind.WOULD_BE_STORED, 0L),
                    counts.getOrDefault(Kind.DUPLICATE, 0L),
                    counts.getOrDefault(Kind.CONFLICT, 0L),
                    counts.getOrDefault(Kind.REJECTED_AGAIN, 0L));
            whyNot.forEach((why, count) -> out.printf("  stays: %d %s%n", count, why));
            out.flush();
            if (dryRun) {
                return 0;
            }
            MaxRate limiter = MaxRate.of("dead-letters-redrive", maxRate);
            long moved = 0;
            for (Judged one : judged) {
                if (one.verdict().kind().movable()) {
                    limiter.acquire();
                    deadLetters.move(one.letter());
                    moved++;
                    long done = moved;
                    progress.tick(done, () -> "moved " + done);
                }
            }
            out.printf("dead-letters redrive: moved %d to the source queue, left %d%n", moved, judged.size() - moved);
            out.flush();
        }
        return 0;
    }

    /** The verdict's kind and its reason code, for the counts of what stays. */
    private static String firstWords(DeadLetterVerdicts.Verdict verdict) {
        String why = verdict.why();
        int colon = why.indexOf(':');
        return verdict.kind().label()
                + (verdict.kind() == Kind.REJECTED_AGAIN && colon > 0 ? " (" + why.substring(0, colon) + ")" : "");
    }
}
