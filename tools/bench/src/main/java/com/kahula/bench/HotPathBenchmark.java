package com.kahula.bench;

import com.kahula.eventpersister.event.EventMapping;
import com.kahula.eventpersister.event.EventParser;
import com.kahula.eventpersister.event.ParseResult;
import com.kahula.eventpersister.event.StoredEvent;
import com.kahula.eventpersister.store.EventTable;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * The per-event hot path of the service without I/O: parse the envelope (with the canonical hash of the detail), map
 * the event to its DynamoDB item, build the conditional PutItem request, over the benchmark's messages. Run with
 * {@code bench/jmh.sh} (it adds {@code -prof gc} for the allocation per event).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx256m")
public class HotPathBenchmark {

    private static final Instant RECEIVED_AT = Instant.parse("2026-11-27T10:00:01.500Z");
    private static final String NOT_YET_STORED = "attribute_not_exists(" + EventTable.UNIQUE_ID + ")";

    private final EventParser parser = new EventParser(EventMapping.defaults(), 262_144);
    private List<String> bodies;
    private StoredEvent[] events;
    private int next;

    @Setup
    public void setUp() {
        bodies = BenchMessages.generate(1_024, 42).bodies();
        events = bodies.stream()
                .map(body -> ((ParseResult.Parsed) parser.parse(body, RECEIVED_AT)).event())
                .toArray(StoredEvent[]::new);
    }

    private int nextIndex() {
        next = (next + 1) & 1023;
        return next;
    }

    /** Parse, canonical hash and the stored-event record. */
    @Benchmark
    public ParseResult parse() {
        return parser.parse(bodies.get(nextIndex()), RECEIVED_AT);
    }

    /** The item alone, from a parsed event. */
    @Benchmark
    public Map<String, AttributeValue> item() {
        return EventTable.item(events[nextIndex()], Optional.empty());
    }

    /** Everything the service does per event before the PutItem leaves: parse, hash, item, request. */
    @Benchmark
    public PutItemRequest parseMapAndBuildRequest() {
        StoredEvent event = ((ParseResult.Parsed) parser.parse(bodies.get(nextIndex()), RECEIVED_AT)).event();
        return PutItemRequest.builder()
                .tableName("kahula-events-bench")
                .item(EventTable.item(event, Optional.empty()))
                .conditionExpression(NOT_YET_STORED)
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                .build();
    }
}
