package com.kahula.eventpersister.toolkit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.kahula.eventpersister.event.StoredEvent;
import com.kahula.eventpersister.store.StoredItem;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** {@code saga <sagaId>}: the saga's events in time order from the saga index, as a table or as NDJSON. */
@Command(
        name = "saga",
        mixinStandardHelpOptions = true,
        description = "Prints a saga's events in time order, from the table's saga index.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done (also when the saga has no events)", "1:failed while reading", "2:wrong arguments"})
final class SagaCommand extends ToolkitCommand implements Callable<Integer> {

    enum Format {
        table,
        ndjson
    }

    private static final JsonFactory JSON = new JsonFactory();

    @Mixin
    AwsOptions aws = new AwsOptions();

    @Parameters(index = "0", paramLabel = "<sagaId>", description = "The saga id (saga_id in the table).")
    String sagaId = "";

    @Option(
            names = "--format",
            defaultValue = "table",
            description = "table (readable) or ndjson (one JSON object an event, the stored columns and its detail);"
                    + " default: ${DEFAULT-VALUE}.")
    Format format = Format.table;

    @Option(
            names = "--page-size",
            defaultValue = "100",
            description = "Events read from the index a call (1 to 1000); default: ${DEFAULT-VALUE}.")
    int pageSize = 100;

    @Option(
            names = "--limit",
            description = "Print at most this many events, then the token that continues after them (on stderr).")
    @Nullable
    Integer limit;

    @Option(
            names = "--starting-token",
            description = "Continue after the events of an earlier run with --limit: the token it printed.")
    @Nullable
    String startingToken;

    @Override
    public Integer call() {
        if (sagaId.isBlank()) {
            throw usage("<sagaId> must not be blank");
        }
        if (pageSize < 1 || pageSize > 1000) {
            throw usage("--page-size must be 1 to 1000, was " + pageSize);
        }
        if (limit != null && limit < 1) {
            throw usage("--limit must be at least 1, was " + limit);
        }
        Optional<SagaPosition> after = Optional.empty();
        if (startingToken != null) {
            try {
                after = Optional.of(SagaPosition.ofToken(startingToken));
            } catch (IllegalArgumentException e) {
                throw usage("--starting-token is not a token this command printed");
            }
            if (!after.orElseThrow().sagaId().equals(sagaId)) {
                throw usage("--starting-token is of another saga");
            }
        }
        PrintWriter out = commandLine().getOut();
        try (DynamoDbClient dynamoDb = aws.dynamoDb()) {
            print(new DynamoDbStoredEvents(dynamoDb, aws.tableName()), after, out);
        }
        return 0;
    }

    private void print(StoredEvents events, Optional<SagaPosition> after, PrintWriter out) {
        int printed = 0;
        if (format == Format.table) {
            out.print(TableRow.HEADER);
        }
        Optional<SagaPosition> next = after;
        do {
            int room = limit == null ? pageSize : Math.min(pageSize, limit - printed);
            StoredEvents.Page page = events.sagaPage(sagaId, room, next);
            for (StoredItem row : page.events()) {
                out.print(format == Format.table ? TableRow.of(row) : ndjson(row));
                printed++;
            }
            out.flush();
            next = page.next();
        } while (next.isPresent() && (limit == null || printed < limit));
        if (format == Format.table) {
            out.printf("%d event%s%n", printed, printed == 1 ? "" : "s");
        }
        next.ifPresent(position ->
                commandLine().getErr().printf("more events: continue with --starting-token %s%n", position.token()));
    }

    /** One event as a line of JSON: its stored columns, and its detail as the JSON it is. */
    static String ndjson(StoredItem item) {
        StoredEvent row = item.event();
        Writer line = new java.io.StringWriter(row.payload().length() + 512);
        try (JsonGenerator json = JSON.createGenerator(line)) {
            json.writeStartObject();
            json.writeStringField("timestamp", row.timestamp());
            json.writeStringField("event_name", row.eventName());
            json.writeStringField("unique_id", row.uniqueId());
            json.writeStringField("saga_id", row.sagaId());
            json.writeStringField("source", row.source());
            json.writeStringField("detail_type", row.detailType());
            json.writeStringField("mbocdp_id", row.mbocdpId());
            json.writeStringField("aws_id", row.awsId());
            json.writeStringField("payload_hash", row.payloadHash());
            json.writeStringField("follow_up_status", item.followUpStatus().orElse(null));
            json.writeStringField(
                    "trace_id", row.trace() == null ? null : row.trace().traceId());
            json.writeFieldName("detail");
            // the stored payload is JSON text already; written as it is, its numbers keep their digits
            json.writeRawValue(row.payload());
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return line + System.lineSeparator();
    }

    /** The readable form: a fixed-width line an event, its follow-up's state and its trace id last. */
    static final class TableRow {

        static final String HEADER = "%-24s  %-28s  %-36s  %-24s  %-9s  %s%n"
                .formatted("TIMESTAMP", "EVENT", "UNIQUE ID", "SOURCE", "FOLLOW-UP", "TRACE ID");

        private TableRow() {}

        static String of(StoredItem item) {
            StoredEvent row = item.event();
            return "%-24s  %-28s  %-36s  %-24s  %-9s  %s%n"
                    .formatted(
                            row.timestamp(),
                            row.eventName(),
                            row.uniqueId(),
                            row.source(),
                            item.followUpStatus().orElse("-"),
                            row.trace() == null ? "-" : row.trace().traceId());
        }
    }
}
