package com.kahula.eventpersister.toolkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.kahula.eventpersister.event.DetailDifferences;
import com.kahula.eventpersister.event.StoredEvent;
import com.kahula.eventpersister.toolkit.DeadLetterVerdicts.Judged;
import com.kahula.eventpersister.toolkit.DeadLetterVerdicts.Kind;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * {@code dead-letters summary|show|redrive|export}: the dead-letter queue read without consuming it (every message read
 * is made visible again at the end, also on SIGTERM, and none is deleted but by a redrive's move), each message judged
 * with today's parser and table.
 */
@Command(
        name = "dead-letters",
        mixinStandardHelpOptions = true,
        description = {
            "The messages the service parked (reason in persister-error) and those SQS's redrive policy moved after"
                    + " maxReceiveCount receives (no reason: retries-exhausted), read from the dead-letter queue"
                    + " without consuming it: each message read stays hidden from other readers for --hold and is"
                    + " made visible again before the command exits."
        },
        subcommands = {
            DeadLettersCommand.Summary.class,
            DeadLettersCommand.Show.class,
            DeadLettersCommand.Redrive.class,
            DeadLettersCommand.Export.class
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done", "1:failed while running", "2:wrong arguments, or no subcommand"})
final class DeadLettersCommand {

    enum Format {
        table,
        ndjson
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int TOP = 3;
    // the verdicts' table reads are batched by this many letters
    private static final int JUDGED_TOGETHER = 100;

    /** Where the queues are and how long a message read stays hidden; shared by the subcommands. */
    static final class Reading {

        @Mixin
        AwsOptions aws = new AwsOptions();

        @Option(
                names = "--hold",
                paramLabel = "DURATION",
                defaultValue = "5m",
                converter = Times.AgeConverter.class,
                description = "How long each message read stays hidden from other readers of the dead-letter queue"
                        + " (SQS's visibility timeout, at most 12h): the command makes them visible again when it ends,"
                        + " also on SIGTERM; after a SIGKILL they reappear when this ends. Longer than the whole run;"
                        + " default: ${DEFAULT-VALUE}.")
        Duration hold = Duration.ofMinutes(5);

        SqsDeadLetters open(SqsClient sqs) {
            return new SqsDeadLetters(sqs, aws.deadLetterQueueName(), aws.queueName(), hold);
        }
    }

    /** Reasons to select; none selects every message. */
    static final class Reasons {

        @Option(
                names = "--reason",
                paramLabel = "REASON",
                description = "Only messages with this reason (persister-error, or retries-exhausted for those the"
                        + " redrive policy moved); repeatable.")
        List<String> reasons = new ArrayList<>();

        boolean selects(DeadLetter letter) {
            return reasons.isEmpty() || reasons.contains(letter.reason());
        }
    }

    /** {@code dead-letters summary}: counts by reason, ages, receive counts, top detail-types and sources. */
    @Command(
            name = "summary",
            mixinStandardHelpOptions = true,
            description = {
                "Counts the messages by reason, with the oldest and newest age, the range of SQS's receive count (this"
                        + " read included) and the " + TOP + " most frequent detail-types and sources of each."
            },
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:done (also when the queue is empty)", "1:failed while reading", "2:wrong arguments"})
    static final class Summary extends Usage implements Callable<Integer> {

        @Mixin
        Reading reading = new Reading();

        @Option(names = "--format", defaultValue = "table", description = "table or ndjson; default: ${DEFAULT-VALUE}.")
        Format format = Format.table;

        @Override
        public Integer call() {
            Instant now = Clock.systemUTC().instant();
            Map<String, ReasonTally> tallies = new TreeMap<>();
            Progress progress = new Progress(commandLine().getErr(), "dead-letters summary");
            long[] read = {0};
            try (SqsClient sqs = reading.aws.sqs();
                    SqsDeadLetters deadLetters = reading.open(sqs)) {
                deadLetters.read(letter -> {
                    tallies.computeIfAbsent(letter.reason(), reason -> new ReasonTally())
                            .add(letter, now);
                    read[0]++;
                    progress.tick(read[0], () -> "read " + read[0]);
                    return true;
                });
            }
            PrintWriter out = commandLine().getOut();
            if (format == Format.table) {
                out.printf(
                        ReasonTally.LINE,
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
    static final class Show extends Usage implements Callable<Integer> {

        private static final String LINE = "%-22s  %-7s  %-36s  %-36s  %s%n";

        @Mixin
        Reading reading = new Reading();

        @Mixin
        Reasons reasons = new Reasons();

        @Option(
                names = "--limit",
                defaultValue = "100",
                description = "At most this many messages; default: ${DEFAULT-VALUE}.")
        int limit = 100;

        @Option(names = "--format", defaultValue = "table", description = "table or ndjson; default: ${DEFAULT-VALUE}.")
        Format format = Format.table;

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
                DeadLetterVerdicts verdicts = verdicts(settings, dynamoDb, reading.aws);
                PrintWriter out = commandLine().getOut();
                if (format == Format.table) {
                    out.printf(LINE, "REASON", "AGE", "AWS ID", "UNIQUE ID", "DETAIL");
                }
                for (Judged judged : judgeAll(verdicts, selected, now)) {
                    out.print(format == Format.table ? table(judged, now) : ndjson(judged, now) + "\n");
                }
                if (format == Format.table) {
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
                    Times.age(letter.age(now)),
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
            ObjectNode line = JSON.createObjectNode()
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
    static final class Redrive extends Usage implements Callable<Integer> {

        @Mixin
        Reading reading = new Reading();

        @Mixin
        Reasons reasons = new Reasons();

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
                List<Judged> judged = judgeAll(verdicts(settings, dynamoDb, reading.aws), selected, now);
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
                out.printf(
                        "dead-letters redrive: moved %d to the source queue, left %d%n", moved, judged.size() - moved);
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

    /** {@code dead-letters export}: every message, body and attributes, one JSON object a line, into a file. */
    @Command(
            name = "export",
            mixinStandardHelpOptions = true,
            description = {
                "Writes every message (or those of --reason) to FILE, one JSON object a line: message_id, reason,"
                        + " sent_at, receive_count, body, and attributes (name -> data_type and string_value, or"
                        + " binary_value in Base64). The file holds payloads: keep it as you keep the table's data."
            },
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:done", "1:failed while running", "2:wrong arguments (the file exists)"})
    static final class Export extends Usage implements Callable<Integer> {

        @Mixin
        Reading reading = new Reading();

        @Mixin
        Reasons reasons = new Reasons();

        @Option(names = "--to", required = true, paramLabel = "FILE", description = "A new file to write.")
        Path to = Path.of("dead-letters.ndjson");

        @Override
        public Integer call() {
            if (Files.exists(to)) {
                throw usage("--to " + to + " exists: name a new file");
            }
            long[] written = {0};
            Progress progress = new Progress(commandLine().getErr(), "dead-letters export");
            try (SqsClient sqs = reading.aws.sqs();
                    SqsDeadLetters deadLetters = reading.open(sqs);
                    Writer file = Files.newBufferedWriter(to, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW)) {
                deadLetters.read(letter -> {
                    if (reasons.selects(letter)) {
                        write(file, letter);
                        written[0]++;
                        progress.tick(written[0], () -> "written " + written[0]);
                    }
                    return true;
                });
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + to, e);
            }
            commandLine().getOut().printf("dead-letters export: %d messages written to %s%n", written[0], to);
            commandLine().getOut().flush();
            return 0;
        }

        private static void write(Writer file, DeadLetter letter) {
            ObjectNode line = JSON.createObjectNode()
                    .put("message_id", letter.messageId())
                    .put("reason", letter.reason())
                    .put("sent_at", letter.sentAt().toString())
                    .put("receive_count", letter.receiveCount())
                    .put("body", letter.body());
            ObjectNode attributes = line.putObject("attributes");
            new TreeMap<>(letter.attributes()).forEach((name, attribute) -> {
                ObjectNode value = attributes.putObject(name).put("data_type", attribute.dataType());
                if (attribute.binaryBase64() != null) {
                    value.put("binary_value", attribute.binaryBase64());
                } else {
                    value.put("string_value", attribute.stringValue());
                }
            });
            try {
                file.write(line.toString());
                file.write('\n');
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static DeadLetterVerdicts verdicts(ServiceSettings settings, DynamoDbClient dynamoDb, AwsOptions aws) {
        DynamoDbStoredRows rows = new DynamoDbStoredRows(dynamoDb, aws.tableName());
        return new DeadLetterVerdicts(settings.parser(), new DetailDifferences(settings.mapping()), rows::read);
    }

    private static List<Judged> judgeAll(DeadLetterVerdicts verdicts, List<DeadLetter> letters, Instant now) {
        List<Judged> judged = new ArrayList<>(letters.size());
        for (int from = 0; from < letters.size(); from += JUDGED_TOGETHER) {
            judged.addAll(verdicts.judge(letters.subList(from, Math.min(from + JUDGED_TOGETHER, letters.size())), now));
        }
        return judged;
    }

    /** What summary counts of one reason. */
    private static final class ReasonTally {

        static final String LINE = "%-22s  %7s  %-9s  %-7s  %-7s  %-44s  %s%n";

        private long count;
        private int fewestReceives = Integer.MAX_VALUE;
        private int mostReceives;
        private @Nullable Duration oldest;
        private @Nullable Duration newest;
        private final Map<String, Long> detailTypes = new LinkedHashMap<>();
        private final Map<String, Long> sources = new LinkedHashMap<>();

        void add(DeadLetter letter, Instant now) {
            count++;
            fewestReceives = Math.min(fewestReceives, letter.receiveCount());
            mostReceives = Math.max(mostReceives, letter.receiveCount());
            Duration age = letter.age(now);
            oldest = oldest == null || age.compareTo(oldest) > 0 ? age : oldest;
            newest = newest == null || age.compareTo(newest) < 0 ? age : newest;
            JsonNode envelope = envelope(letter.body());
            detailTypes.merge(field(envelope, "detail-type"), 1L, Long::sum);
            sources.merge(field(envelope, "source"), 1L, Long::sum);
        }

        String table(String reason) {
            return LINE.formatted(
                    reason,
                    count,
                    fewestReceives == mostReceives ? fewestReceives : fewestReceives + "-" + mostReceives,
                    Times.age(oldest == null ? Duration.ZERO : oldest),
                    Times.age(newest == null ? Duration.ZERO : newest),
                    top(detailTypes).entrySet().stream()
                            .map(entry -> entry.getKey() + " (" + entry.getValue() + ")")
                            .collect(Collectors.joining(", ")),
                    top(sources).entrySet().stream()
                            .map(entry -> entry.getKey() + " (" + entry.getValue() + ")")
                            .collect(Collectors.joining(", ")));
        }

        String ndjson(String reason) {
            ObjectNode line = JSON.createObjectNode()
                    .put("reason", reason)
                    .put("count", count)
                    .put("fewest_receives", fewestReceives)
                    .put("most_receives", mostReceives)
                    .put("oldest_age_seconds", oldest == null ? 0 : oldest.toSeconds())
                    .put("newest_age_seconds", newest == null ? 0 : newest.toSeconds());
            ObjectNode types = line.putObject("top_detail_types");
            top(detailTypes).forEach(types::put);
            ObjectNode topSources = line.putObject("top_sources");
            top(sources).forEach(topSources::put);
            return line.toString();
        }

        private static Map<String, Long> top(Map<String, Long> counts) {
            Map<String, Long> top = new LinkedHashMap<>();
            counts.entrySet().stream()
                    .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
                            .thenComparing(Map.Entry.comparingByKey()))
                    .limit(TOP)
                    .forEach(entry -> top.put(entry.getKey(), entry.getValue()));
            return top;
        }

        private static @Nullable JsonNode envelope(String body) {
            try {
                return JSON.readTree(body);
            } catch (IOException notJson) {
                return null;
            }
        }

        /** A text field of the envelope, bounded; a placeholder when the body has none. */
        private static String field(@Nullable JsonNode envelope, String name) {
            if (envelope == null || !envelope.isObject()) {
                return "(not a JSON object)";
            }
            JsonNode value = envelope.get(name);
            if (value == null || !value.isTextual()) {
                return "(no " + name + ")";
            }
            String text = value.asText().replaceAll("\\p{Cntrl}", " ");
            return text.length() <= 80 ? text : text.substring(0, 77) + "...";
        }
    }

    private DeadLettersCommand() {}
}
