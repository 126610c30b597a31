package com.kahula.eventpersister.toolkit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.kahula.eventpersister.aws.Batcher;
import com.kahula.eventpersister.event.DetailDifferences;
import com.kahula.eventpersister.toolkit.DeadLetterVerdicts.Judged;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
            DeadLettersSummaryCommand.class,
            DeadLettersShowCommand.class,
            DeadLettersRedriveCommand.class,
            DeadLettersExportCommand.class
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done", "1:failed while running", "2:wrong arguments, or no subcommand"})
final class DeadLettersCommand {

    enum Format {
        table,
        ndjson
    }

    static final ObjectMapper JSON = new ObjectMapper();
    private static final int JUDGED_TOGETHER = 100;

    /** Where the queues are and how long a message read stays hidden; shared by the subcommands. */
    static final class Reading {

        @Mixin
        AwsOptions aws = new AwsOptions();

        @Option(
                names = "--hold",
                paramLabel = "DURATION",
                defaultValue = "5m",
                converter = TimeFormats.AgeConverter.class,
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

    /** The verdicts of today's parser and table, as show and redrive judge with them. */
    static DeadLetterVerdicts verdicts(ServiceSettings settings, DynamoDbClient dynamoDb, AwsOptions aws) {
        DynamoDbStoredRows rows = new DynamoDbStoredRows(dynamoDb, aws.tableName());
        return new DeadLetterVerdicts(settings.parser(), new DetailDifferences(settings.mapping()), rows::read);
    }

    /** Every letter judged, in order, the table read once for each {@value #JUDGED_TOGETHER} letters. */
    static List<Judged> judgeAll(DeadLetterVerdicts verdicts, List<DeadLetter> letters, Instant now) {
        List<Judged> judged = new ArrayList<>(letters.size());
        for (List<DeadLetter> together : Batcher.split(letters, JUDGED_TOGETHER, Long.MAX_VALUE, letter -> 1)) {
            judged.addAll(verdicts.judge(together, now));
        }
        return judged;
    }

    private DeadLettersCommand() {}
}
