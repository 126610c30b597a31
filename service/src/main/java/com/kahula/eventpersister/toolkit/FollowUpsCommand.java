package com.kahula.eventpersister.toolkit;

import com.kahula.eventpersister.listener.FollowUpSweeper;
import com.kahula.eventpersister.store.FollowUpOutbox;
import com.kahula.eventpersister.store.FollowUpOutbox.Position;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@code followups pending|send|backfill}: the follow-ups waiting in the outbox, listed from its index (PENDING, and
 * REJECTED with the bus's words); the PENDING ones sent now by the service's own sweeper; and the one-off backfill of a
 * table whose PENDING items predate the index.
 */
@Command(
        name = "followups",
        mixinStandardHelpOptions = true,
        description = {
            "The follow-ups waiting in the outbox: the stored items whose follow-up is PENDING (not yet on the bus) or"
                    + " REJECTED (the bus refused its content), read from the table's outbox index, never a scan.",
            "The service's sweeper sends those PENDING past its grace period by itself; these commands show them and"
                    + " send them now."
        },
        subcommands = {FollowUpsCommand.Pending.class, FollowUpsCommand.Send.class, FollowUpsCommand.Backfill.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done", "1:failed while running", "2:wrong arguments, or no subcommand"})
final class FollowUpsCommand {

    enum Format {
        table,
        ndjson
    }

    /** Outbox index entries read a call. */
    private static final int PAGE = 100;

    /** {@code followups pending}: every follow-up waiting, one line each. */
    @Command(
            name = "pending",
            mixinStandardHelpOptions = true,
            description = {
                "Lists the follow-ups still PENDING (all 16 shards of the outbox index, each oldest first), then those"
                        + " REJECTED with the bus's words, one a line: unique_id, event_name, follow_up_type,"
                        + " follow_up_id, status, received_at, age, error."
            },
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:done (also when none waits)", "1:failed while reading", "2:wrong arguments"})
    static final class Pending extends ToolkitCommand implements Callable<Integer> {

        @Mixin
        AwsOptions aws = new AwsOptions();

        @Option(
                names = "--older-than",
                paramLabel = "DURATION",
                defaultValue = "0s",
                converter = TimeFormats.AgeConverter.class,
                description = "Only those whose event was received longer ago than this: 90s, 10m, 2h, 1d or"
                        + " ISO-8601 (PT10M); default: ${DEFAULT-VALUE}, all.")
        Duration olderThan = Duration.ZERO;

        @Option(
                names = "--format",
                defaultValue = "table",
                description = "table (readable) or ndjson (one JSON object a follow-up, its age in age_seconds);"
                        + " default: ${DEFAULT-VALUE}.")
        Format format = Format.table;

        @Override
        public Integer call() {
            Instant now = Clock.systemUTC().instant();
            Instant cutoff = now.minus(olderThan);
            FollowUpListing listing = new FollowUpListing(commandLine(), format, now, "followups pending");
            try (FollowUpsWiring wiring = new FollowUpsWiring(aws, ServiceSettings.load())) {
                wiring.lister().list(cutoff, listing::print);
                rejected(wiring.outbox(), cutoff, listing);
            }
            listing.close("%d pending, %d rejected".formatted(listing.pending, listing.rejected));
            return 0;
        }

        private static void rejected(FollowUpOutbox outbox, Instant cutoff, FollowUpListing listing) {
            String before = TimeFormats.stored(cutoff);
            Optional<Position> after = Optional.empty();
            do {
                FollowUpOutbox.Page page = outbox.rejected(after, PAGE).join();
                listing.print(page.waiting().stream()
                        .filter(waiting -> waiting.event().receivedAt().compareTo(before) < 0)
                        .toList());
                after = page.next();
            } while (after.isPresent());
        }
    }

    /** {@code followups send}: the PENDING follow-ups sent now, as the service's sweeper sends them. */
    @Command(
            name = "send",
            mixinStandardHelpOptions = true,
            description = {
                "Sends the follow-ups still PENDING now, with the service's own sweeper, publisher and settings: each"
                        + " is marked EMITTED once the bus took it, or REJECTED with the bus's words if the bus"
                        + " refused its content. A follow-up sent twice (the service's sweeper sent it too) is"
                        + " stored once: its id is deterministic.",
                "Stops at the first page of which the bus took nothing (it is down); run it again later."
            },
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {
                "0:done: every follow-up found was sent or recorded as REJECTED",
                "1:failed while running, or the bus did not take some (they stay PENDING)",
                "2:wrong arguments"
            })
    static final class Send extends ToolkitCommand implements Callable<Integer> {

        @Mixin
        AwsOptions aws = new AwsOptions();

        @Option(
                names = "--older-than",
                paramLabel = "DURATION",
                converter = TimeFormats.AgeConverter.class,
                description = "Only those whose event was received longer ago than this: 90s, 10m, 2h, 1d or"
                        + " ISO-8601 (default: the service's sweep grace, persister.follow-up.sweep-grace, which"
                        + " leaves alone the follow-ups the service's batches are still sending).")
        @Nullable
        Duration olderThan;

        @Option(names = "--dry-run", description = "List the follow-ups that would be sent, send nothing.")
        boolean dryRun;

        @Override
        public Integer call() {
            ServiceSettings settings = ServiceSettings.load();
            Duration age = olderThan != null ? olderThan : settings.followUp().sweepGrace();
            Instant now = Clock.systemUTC().instant();
            Instant cutoff = now.minus(age);
            PrintWriter out = commandLine().getOut();
            PrintWriter err = commandLine().getErr();
            try (FollowUpsWiring wiring = new FollowUpsWiring(aws, settings)) {
                if (dryRun) {
                    FollowUpListing listing =
                            new FollowUpListing(commandLine(), Format.table, now, "followups send --dry-run");
                    wiring.lister().list(cutoff, listing::print);
                    listing.close("followups send (dry run): %d pending older than %s would be sent"
                            .formatted(listing.pending, TimeFormats.age(age)));
                    return 0;
                }
                Progress progress = new Progress(err, "followups send");
                SweepTally tally = new SweepTally(sent -> progress.tick(sent, () -> "sent " + sent));
                FollowUpSweeper.Pass pass = wiring.sender(tally).sweep(cutoff);
                out.printf(
                        "followups send: older than %s, found %d, sent %d, rejected %d, not sent %d; sent again %d,"
                                + " not marked %d%n",
                        TimeFormats.age(age),
                        pass.found(),
                        pass.accepted(),
                        pass.busRejected(),
                        pass.notSent(),
                        tally.sentAgain(),
                        tally.notMarked());
                out.flush();
                if (pass.busRejected() > 0) {
                    err.printf(
                            "%d refused by the bus for their content: their items are REJECTED with the bus's words"
                                    + " (followups pending lists them)%n",
                            pass.busRejected());
                }
                if (tally.notMarked() > 0) {
                    err.printf(
                            "%d on the bus could not be marked EMITTED (%s): they stay PENDING and are sent again,"
                                    + " stored once%n",
                            tally.notMarked(), tally.lastMarkFailure());
                }
                if (pass.busRefusedAll() || pass.notSent() > 0) {
                    err.printf(
                            "%d not sent: the bus did not take them%s; they stay PENDING, run again when it answers%n",
                            pass.notSent(),
                            pass.busRefusedAll()
                                    ? ", and the sweep stopped at a page of which it took none (the rest not tried)"
                                    : "");
                    return 1;
                }
            }
            return 0;
        }
    }

    /** {@code followups backfill}: items PENDING from before the index existed put into it. */
    @Command(
            name = "backfill",
            mixinStandardHelpOptions = true,
            description = {
                "Once, for a table that held PENDING follow-ups before its outbox index existed: a Scan of the whole"
                        + " table for PENDING items without follow_up_outbox, and for each a conditional UpdateItem"
                        + " that puts it in its outbox shard, unless it changed meanwhile. Then the service's"
                        + " sweeper and followups pending see them. Running it again changes nothing."
            },
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:done", "1:failed while running; run it again", "2:wrong arguments"})
    static final class Backfill extends ToolkitCommand implements Callable<Integer> {

        @Mixin
        AwsOptions aws = new AwsOptions();

        @Option(names = "--dry-run", description = "Scan and count, change nothing.")
        boolean dryRun;

        @Override
        public Integer call() {
            Progress progress = new Progress(commandLine().getErr(), "followups backfill");
            DynamoDbOutboxBackfill.Counts counts;
            try (DynamoDbClient dynamoDb = aws.dynamoDb()) {
                counts = new DynamoDbOutboxBackfill(dynamoDb, aws.tableName())
                        .run(dryRun, running -> progress.tick(running.scanned(), () -> running.toString()));
            }
            commandLine()
                    .getOut()
                    .printf(
                            "followups backfill%s: scanned %d items, PENDING outside the outbox %d, put in the outbox"
                                    + " %d, changed meanwhile %d%n",
                            dryRun ? " (dry run)" : "",
                            counts.scanned(),
                            counts.found(),
                            counts.indexed(),
                            counts.changed());
            return 0;
        }
    }
}
