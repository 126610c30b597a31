package com.kahula.eventpersister.toolkit;

import com.kahula.eventpersister.aws.Batcher;
import com.kahula.eventpersister.event.ReplayMarker;
import com.kahula.eventpersister.event.StoredEvent;
import com.kahula.eventpersister.followup.EventBridgeFollowUpPublisher;
import com.kahula.eventpersister.store.StoredItem;
import com.kahula.eventpersister.tracing.IncomingTrace;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/**
 * {@code replay}: publishes stored events onto the bus again, in time order, each with the replay's name in its
 * detail ({@code persister-replay}), which the payload hash leaves out: the persister stores each as the duplicate
 * it is, and emits no follow-up a second time.
 */
@Command(
        name = "replay",
        mixinStandardHelpOptions = true,
        description = {
            "Publishes stored events onto the bus again with PutEvents, in batches, in time order (per saga and"
                    + " overall), each marked in its detail with \"persister-replay\": <name>, a key the payload hash"
                    + " leaves out, so the persister stores each as a duplicate.",
            "Events without a producer id are skipped: the bus gives a replayed event a new id, under which the"
                    + " table would store it again."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done", "1:failed while running", "2:wrong arguments"})
final class ReplayCommand extends ToolkitCommand implements Callable<Integer> {

    private static final DateTimeFormatter NAME_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    /** Which events: one saga, or a time range. */
    static final class Selection {

        @Option(names = "--saga", required = true, description = "Replay this saga's events.")
        @Nullable
        String saga;

        @ArgGroup(exclusive = false)
        @Nullable
        Range range;
    }

    /** A time range, both ends required. */
    static final class Range {

        @Option(
                names = "--since",
                required = true,
                converter = TimeFormats.Converter.class,
                description = "Replay the events whose time is at or after this, ISO-8601 (a Scan of the table).")
        Instant since = Instant.EPOCH;

        @Option(
                names = "--until",
                required = true,
                converter = TimeFormats.Converter.class,
                description = "... and before this, ISO-8601.")
        Instant until = Instant.EPOCH;
    }

    @Mixin
    AwsOptions aws = new AwsOptions();

    @ArgGroup(exclusive = true, multiplicity = "1")
    Selection selection = new Selection();

    @Option(
            names = "--event-name",
            description = "Only the events of this name (event_name, e.g. ProductUpdatedEvent).")
    @Nullable
    String eventName;

    @Option(
            names = "--name",
            description = "The replay's name, in each event's detail as \"persister-replay\""
                    + " (default: replay-<UTC time>).")
    @Nullable
    String name;

    @Option(names = "--dry-run", description = "List the events that would be published, publish nothing.")
    boolean dryRun;

    @Override
    public Integer call() {
        Range range = selection.range;
        if (range != null && !range.since.isBefore(range.until)) {
            throw usage("--since must be before --until");
        }
        String replayName = name != null
                ? name
                : "replay-" + NAME_TIME.format(Clock.systemUTC().instant());
        if (replayName.isBlank()) {
            throw usage("--name must not be blank");
        }
        try (DynamoDbClient dynamoDb = aws.dynamoDb();
                @Nullable EventBridgeClient eventBridge = dryRun ? null : aws.eventBridge()) {
            StoredEvents events = new DynamoDbStoredEvents(dynamoDb, aws.tableName());
            List<StoredItem> selected = select(events, range);
            ReplayBus bus = eventBridge == null ? entries -> {} : new EventBridgeReplayBus(eventBridge, aws.busName());
            replay(selected, replayName, bus);
        }
        return 0;
    }

    private List<StoredItem> select(StoredEvents events, @Nullable Range range) {
        List<StoredItem> selected = new ArrayList<>();
        Consumer<StoredItem> keep = row -> {
            if (eventName == null || eventName.equals(row.event().eventName())) {
                selected.add(row);
            }
        };
        String saga = selection.saga;
        if (saga != null) {
            Optional<SagaPosition> next = Optional.empty();
            do {
                StoredEvents.Page page = events.sagaPage(saga, 1000, next);
                page.events().forEach(keep);
                next = page.next();
            } while (next.isPresent());
        } else if (range != null) {
            events.between(range.since, range.until, keep);
            // the index gives a saga in order; a Scan gives no order at all
            selected.sort(Comparator.comparing((StoredItem row) -> row.event().timestamp())
                    .thenComparing(row -> row.event().uniqueId()));
        }
        return selected;
    }

    private void replay(List<StoredItem> selected, String replayName, ReplayBus bus) {
        PrintWriter out = commandLine().getOut();
        Progress progress = new Progress(commandLine().getErr(), "replay " + replayName);
        Batcher<ReplayBus.Entry> batcher = new Batcher<>(
                EventBridgeFollowUpPublisher.MAX_ENTRIES_PER_CALL,
                EventBridgeFollowUpPublisher.MAX_REQUEST_SIZE,
                ReplayBus.Entry::size);
        long published = 0;
        long skipped = 0;
        for (StoredItem item : selected) {
            StoredEvent row = item.event();
            if (row.mbocdpId() == null) {
                skipped++;
                continue;
            }
            if (dryRun) {
                out.print(SagaCommand.TableRow.of(item));
            }
            ReplayBus.Entry entry = new ReplayBus.Entry(
                    row.source(),
                    row.detailType(),
                    ReplayMarker.mark(row.payload(), replayName),
                    Instant.parse(row.timestamp()),
                    row.trace() == null ? null : IncomingTrace.xrayHeader(row.trace()));
            List<ReplayBus.Entry> full = batcher.add(entry);
            if (!full.isEmpty()) {
                published += publish(full, bus);
                long done = published;
                long left = skipped;
                progress.tick(done, () -> "published %d, skipped %d".formatted(done, left));
            }
        }
        published += publish(batcher.rest(), bus);
        out.printf(
                "replay %s%s: events %d, published %d, skipped %d (no producer id), %d events/s%n",
                replayName, dryRun ? " (dry run)" : "", selected.size(), published, skipped, progress.rate(published));
    }

    private long publish(List<ReplayBus.Entry> batch, ReplayBus bus) {
        if (batch.isEmpty() || dryRun) {
            return 0;
        }
        bus.publish(batch);
        return batch.size();
    }
}
