package com.kahula.eventpersister.toolkit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.kahula.eventpersister.event.StoredEvent;
import com.kahula.eventpersister.toolkit.DeadLetterVerdicts.Judged;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/** {@code dead-letters show}: one line a message; for a conflict, where it differs from the stored row. */
@Command(
        name = "show",
        mixinStandardHelpOptions = true,
        description = {
            "One line a message: reason, age, aws_id, unique_id, the service's detail; for a conflict, the JSON"
                    + " Pointers at which its detail differs from the stored row's payload (the fields the hash"
                    + " leaves out left out: producer id, saga id, timestamp), read from the table now."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done", "1:failed while reading", "2:wrong arguments"})
final class DeadLettersShowCommand extends ToolkitCommand implements Callable<Integer> {

    private static final String LINE = "%-22s  %-7s  %-36s  %-36s  %s%n";

    @Mixin
    DeadLettersCommand.Reading reading = new DeadLettersCommand.Reading();

    @Mixin
    DeadLettersCommand.Reasons reasons = new DeadLettersCommand.Reasons();

    @Option(
            names = "--limit",
            defaultValue = "100",
            description = "At most this many messages; default: ${DEFAULT-VALUE}.")
    int limit = 100;

    @Option(names = "--format", defaultValue = "table", description = "table or ndjson; default: ${DEFAULT-VALUE}.")
    DeadLettersCommand.Format format = DeadLettersCommand.Format.table;

    @Override
    public Integer call() {
        if (limit < 1) {
            throw usage("--limit must be at least 1, was " + limit);
        }
        Instant now = Clock.systemUTC().instant();
        ServiceSettings settings = ServiceSettings.load();
        List<DeadLetter> selected = new ArrayList<>();
        try (SqsClient sqs = reading.aws.sqs();
                DynamoDbClient dynamoDb = reading.aws.dynamoDb();
                SqsDeadLetters deadLetters = reading.open(sqs)) {
            deadLetters.read(letter -> {
                if (reasons.selects(letter)) {
                    selected.add(letter);
                }
                return selected.size() < limit;
            });
            DeadLetterVerdicts verdicts = DeadLettersCommand.verdicts(settings, dynamoDb, reading.aws);
            PrintWriter out = commandLine().getOut();
            if (format == DeadLettersCommand.Format.table) {
                out.printf(LINE, "REASON", "AGE", "AWS ID", "UNIQUE ID", "DETAIL");
            }
            for (Judged judged : DeadLettersCommand.judgeAll(verdicts, selected, now)) {
                out.print(format == DeadLettersCommand.Format.table ? table(judged, now) : ndjson(judged, now) + "\n");
            }
            if (format == DeadLettersCommand.Format.table) {
                out.printf("%d messages shown%n", selected.size());
            }
            out.flush();
        }
        return 0;
    }

    private static String table(Judged judged, Instant now) {
        DeadLetter letter = judged.letter();
        StoredEvent event = judged.event();
        StringBuilder line = new StringBuilder(LINE.formatted(
                letter.reason(),
                TimeFormats.age(letter.age(now)),
                event == null ? "-" : event.awsId(),
                event == null ? "-" : event.uniqueId(),
                letter.detail().replaceAll("\\p{Cntrl}", " ")));
        if (letter.reason().equals("conflict")) {
            line.append("    differs: ").append(differs(judged)).append(System.lineSeparator());
        }
        return line.toString();
    }

    private static String ndjson(Judged judged, Instant now) {
        DeadLetter letter = judged.letter();
        StoredEvent event = judged.event();
        ObjectNode line = DeadLettersCommand.JSON
                .createObjectNode()
                .put("message_id", letter.messageId())
                .put("reason", letter.reason())
                .put("detail", letter.detail())
                .put("aws_id", event == null ? null : event.awsId())
                .put("unique_id", event == null ? null : event.uniqueId())
                .put("age_seconds", letter.age(now).toSeconds())
                .put("receive_count", letter.receiveCount());
        if (letter.reason().equals("conflict")) {
            line.put("differs", differs(judged));
            var paths = line.putArray("differences");
            judged.verdict()
                    .differences()
                    .forEach(difference -> paths.addObject()
                            .put("kind", difference.kind().label())
                            .put("path", difference.path()));
        }
        return line.toString();
    }

    /** For a parked conflict, what today's table says about it. */
    private static String differs(Judged judged) {
        return switch (judged.verdict().kind()) {
            case CONFLICT ->
                judged.verdict().differences().isEmpty()
                        ? judged.verdict().why()
                        : judged.verdict().differences().stream()
                                .map(Object::toString)
                                .collect(Collectors.joining(", "));
            case DUPLICATE -> "nothing now: the stored row has the same payload hash";
            case WOULD_BE_STORED -> "nothing now: no row has its unique_id";
            case REJECTED_AGAIN -> "not compared: " + judged.verdict().why();
        };
    }
}
