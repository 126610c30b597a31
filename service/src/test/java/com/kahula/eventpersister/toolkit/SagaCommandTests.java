package com.kahula.eventpersister.toolkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.kahula.eventpersister.event.StoredEvent;
import com.kahula.eventpersister.event.TraceContext;
import com.kahula.eventpersister.store.StoredItem;
import com.kahula.eventpersister.support.SampleEvents;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What {@code saga} prints of each stored event, the trace it arrived in among it. */
class SagaCommandTests {

    private static final String TRACE_ID = "6751c0de4f2a9b3c8d7e6f5a4b3c2d1e";

    private final StoredEvent untraced = SampleEvents.storedUpdatedEvent("u-1", Instant.parse("2026-11-27T10:00:01Z"));
    private final StoredEvent traced = untraced.withTrace(new TraceContext(TRACE_ID, "53995c3f42cd8ad8", true));

    @Test
    void showsTheTraceIdAnEventArrivedInAsTheLastColumnOfTheTable() {
        assertThat(SagaCommand.TableRow.HEADER.strip()).endsWith("TRACE ID");
        assertThat(SagaCommand.TableRow.of(new StoredItem(traced, Optional.empty()))
                        .strip())
                .endsWith("  " + TRACE_ID);
        assertThat(SagaCommand.TableRow.of(new StoredItem(untraced, Optional.empty()))
                        .strip())
                .endsWith("  -");
    }

    @Test
    void writesTheTraceIdInEachNdjsonLineNullWhenTheEventCameWithoutOne() throws Exception {
        ObjectMapper json = new ObjectMapper();
        JsonNode tracedLine = json.readTree(SagaCommand.ndjson(new StoredItem(traced, Optional.empty())));
        JsonNode untracedLine = json.readTree(SagaCommand.ndjson(new StoredItem(untraced, Optional.empty())));

        assertThat(tracedLine.get("trace_id").asText()).isEqualTo(TRACE_ID);
        assertThat(untracedLine.get("trace_id").isNull()).isTrue();
    }
}
