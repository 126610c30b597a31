package com.kahula.eventpersister.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.kahula.eventpersister.event.EventMapping;
import com.kahula.eventpersister.event.EventParser;
import com.kahula.eventpersister.event.ParseResult;
import com.kahula.eventpersister.event.TraceContext;
import com.kahula.eventpersister.followup.FollowUp;
import com.kahula.eventpersister.followup.FollowUpFactory;
import com.kahula.eventpersister.followup.FollowUpRule;
import com.kahula.eventpersister.followup.FollowUpRules;
import com.kahula.eventpersister.support.EventOracle;
import com.kahula.eventpersister.tracing.IncomingTrace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * Stored values never change meaning across upgrades: for each envelope of {@code golden/envelopes.ndjson} (the
 * examples, the test corpora, numbers in every spelling, unicode and escapes, key orders, timestamps, ids, random
 * trees) the item the service writes and the follow-up it emits must equal, byte for byte, what
 * {@code golden/stored-columns.ndjson} recorded before the last dependency upgrade. A changed hash would turn every
 * redelivery of an old event into a conflict; a changed follow-up id would emit a second follow-up.
 *
 * <p>The recorded hashes and follow-up ids are also recomputed by {@link EventOracle}, which shares no code with the
 * service, so the record itself is checked from outside, not only held still.
 *
 * <p>An input may carry, beside its body, the trace context of its message ({@code awsTraceHeader}, {@code
 * traceparent}), which adds {@code trace_id} and {@code trace_parent} to its item and changes nothing else.
 *
 * <p>To add inputs: append lines to {@code envelopes.ndjson}, run this test once with {@code -Dgolden.append=true},
 * which writes the expected lines of the new inputs only, and review them. Existing lines are never rewritten.
 *
 * <p>A column the service began to write after the record was made is declared in {@link #ADDED_AFTER_RECORD}: it is
 * left out of the byte-for-byte comparison and checked on its own, against the oracle. Any other new column fails.
 */
class StoredColumnsGoldenTests {

    private static final Path INPUTS = Path.of("src/test/resources/golden/envelopes.ndjson");
    private static final Path EXPECTED = Path.of("src/test/resources/golden/stored-columns.ndjson");
    private static final Instant RECEIVED_AT = Instant.parse("2026-11-27T10:00:01.5Z");
    private static final Instant EMITTED_AT = Instant.parse("2026-11-27T10:00:02.25Z");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    /**
     * {@code follow_up_outbox}: the outbox shard, {@code pending-00} to {@code pending-15}, of an item whose follow-up
     * is PENDING, which puts it in the sparse outbox index (added with the outbox, after the record was made).
     */
    private static final String FOLLOW_UP_OUTBOX = "follow_up_outbox";

    /** The columns written since the record was made; the record's lines stay as they are. */
    private static final Set<String> ADDED_AFTER_RECORD = Set.of(FOLLOW_UP_OUTBOX);

    private final EventParser parser = new EventParser(EventMapping.defaults(), 262_144);
    private final FollowUpRules rules = new FollowUpRules(
            List.of(
                    new FollowUpRule(
                            "updated-to-validatable",
                            "{\"detail-type\":[{\"suffix\":\"UpdatedEvent\"}]}",
                            "ValidatableEvent"),
                    new FollowUpRule(
                            "validated-to-indexable",
                            "{\"detail-type\":[{\"suffix\":\"ValidatedEvent\"}]}",
                            "IndexableEvent")),
            "kahula.event-persister");
    private final FollowUpFactory followUps = new FollowUpFactory("kahula.event-persister", 262_144);

    @Test
    void everyEnvelopeIsStoredAndFollowedUpExactlyAsRecorded() throws IOException {
        Map<String, JsonNode> inputs = read(INPUTS);
        Map<String, String> expected = readLines(EXPECTED);
        assertThat(inputs).as("inputs").hasSizeGreaterThanOrEqualTo(200);

        List<String> missing = new ArrayList<>();
        Map<String, String> actual = new LinkedHashMap<>();
        SoftAssertions addedColumns = new SoftAssertions();
        inputs.forEach((name, input) -> {
            Outcome outcome = outcome(name, input);
            String line = outcome.goldenLine();
            actual.put(name, line);
            if (!expected.containsKey(name)) {
                missing.add(line);
            }
            outcome.item().ifPresent(item -> checkAddedColumns(name, item, addedColumns));
        });
        if (!missing.isEmpty()) {
            if (Boolean.getBoolean("golden.append")) {
                Files.write(
                        EXPECTED,
                        missing,
                        StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
            } else {
                fail(missing.size() + " inputs have no recorded outcome; run once with -Dgolden.append=true");
            }
        }
        expected.forEach((name, line) ->
                assertThat(actual.get(name)).as("stored columns of '%s'", name).isEqualTo(line));
        addedColumns.assertAll();
    }

    @Test
    void theItemsWithAPendingFollowUpSpreadOverAllSixteenOutboxShards() throws IOException {
        Set<String> shards = new TreeSet<>();
        read(INPUTS)
                .forEach((name, input) -> outcome(name, input)
                        .item()
                        .map(item -> item.get(FOLLOW_UP_OUTBOX))
                        .ifPresent(shards::add));

        assertThat(shards).hasSize(16).allMatch(shard -> shard.matches("pending-(0[0-9]|1[0-5])"));
    }

    /**
     * The columns the record leaves out, each against its own rule: {@code follow_up_outbox} is the oracle's shard of
     * the unique id on every item whose follow-up is PENDING, and absent from every item without a follow-up.
     */
    private static void checkAddedColumns(String name, Map<String, String> item, SoftAssertions softly) {
        if ("PENDING".equals(item.get("follow_up_status"))) {
            softly.assertThat(item.get(FOLLOW_UP_OUTBOX))
                    .as("follow_up_outbox of '%s'", name)
                    .isEqualTo(EventOracle.outboxShard(item.get("unique_id")));
        } else if (!item.containsKey("follow_up_status")) {
            softly.assertThat(item)
                    .as("item of '%s', which has no follow-up", name)
                    .doesNotContainKey(FOLLOW_UP_OUTBOX);
        }
    }

    @Test
    void theRecordedOutcomesCoverStoredRejectedAndFollowedUpEvents() throws IOException {
        Map<String, String> expected = readLines(EXPECTED);
        assertThat(expected.values())
                .filteredOn(line -> line.contains("\"item\""))
                .hasSizeGreaterThan(200);
        assertThat(expected.values())
                .filteredOn(line -> line.contains("\"rejected\""))
                .isNotEmpty();
        assertThat(expected.values())
                .filteredOn(line -> line.contains("\"followUp\""))
                .hasSizeGreaterThan(50);
    }

    @Test
    void everyRecordedHashAndFollowUpIdIsWhatAnIndependentOracleComputes() throws IOException {
        SoftAssertions softly = new SoftAssertions();
        int hashes = 0;
        int followUpIds = 0;
        for (String line : readLines(EXPECTED).values()) {
            JsonNode recorded = JSON.readTree(line);
            String name = recorded.get("name").asText();
            JsonNode item = recorded.path("item");
            if (item.isMissingNode()) {
                continue;
            }
            softly.assertThat(item.get("payload_hash").asText())
                    .as("payload_hash of '%s'", name)
                    .isEqualTo(EventOracle.payloadHash(item.get("payload").asText()));
            hashes++;
            if (item.has("follow_up_id")) {
                String expected = EventOracle.followUpId(
                        item.get("unique_id").asText(),
                        item.get("follow_up_type").asText());
                softly.assertThat(item.get("follow_up_id").asText())
                        .as("follow_up_id of '%s'", name)
                        .isEqualTo(expected);
                softly.assertThat(recorded.path("followUp").path("id").asText())
                        .as("the emitted follow-up's id of '%s'", name)
                        .isEqualTo(expected);
                followUpIds++;
            }
        }
        softly.assertThat(hashes).as("recorded hashes").isGreaterThan(200);
        softly.assertThat(followUpIds).as("recorded follow-up ids").isGreaterThan(50);
        softly.assertAll();
    }

    /**
     * An envelope that arrives with a trace context ({@code awsTraceHeader}, {@code traceparent} beside the body) is
     * stored with {@code trace_id} and {@code trace_parent} as an independent reading of the headers gives them, and
     * with every other column, its hash first, as the same body without a context.
     */
    @Test
    void aTraceContextAddsItsTwoColumnsAndChangesNoOther() throws IOException {
        SoftAssertions softly = new SoftAssertions();
        int traced = 0;
        for (Map.Entry<String, JsonNode> input : read(INPUTS).entrySet()) {
            JsonNode headers = input.getValue();
            if (!headers.has("awsTraceHeader") && !headers.has("traceparent")) {
                continue;
            }
            traced++;
            String name = input.getKey();
            Map<String, String> item = outcome(name, input.getValue()).item().orElseThrow();
            Map<String, String> untraced = outcome(
                            name,
                            JSON.createObjectNode()
                                    .put("body", headers.get("body").asText()))
                    .item()
                    .orElseThrow();
            Map<String, String> rest = new TreeMap<>(item);
            rest.keySet().removeAll(Set.of("trace_id", "trace_parent"));
            softly.assertThat(rest).as("the other columns of '%s'", name).isEqualTo(untraced);
            Optional<Map<String, String>> expected = EventOracle.traceColumns(
                    headers.path("awsTraceHeader").asText(null),
                    headers.path("traceparent").asText(null));
            Map<String, String> columns = new TreeMap<>(item);
            columns.keySet().retainAll(Set.of("trace_id", "trace_parent"));
            softly.assertThat(columns).as("trace columns of '%s'", name).isEqualTo(expected.orElse(Map.of()));
        }
        softly.assertThat(traced).as("envelopes with a trace context").isGreaterThanOrEqualTo(6);
        softly.assertAll();
    }

    /** The golden line of one envelope and, when it is stored, every column of its item. */
    private record Outcome(String goldenLine, Optional<Map<String, String>> item) {}

    /**
     * The outcome of one envelope: the item as DynamoDB gets it (less the columns added after the record) and the
     * follow-up detail, or the rejection.
     */
    private Outcome outcome(String name, JsonNode input) {
        Optional<Map<String, String>> stored = Optional.empty();
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("name", name);
        TraceContext trace = IncomingTrace.of(IncomingTrace.carrier(
                        input.path("awsTraceHeader").asText(null),
                        input.path("traceparent").asText(null)))
                .orElse(null);
        switch (parser.parse(input.get("body").asText(), RECEIVED_AT)) {
            case ParseResult.ParserRejected rejected ->
                line.put("rejected", rejected.reason().code());
            case ParseResult.Parsed parsed -> {
                Optional<FollowUpRule> rule = rules.firstMatch(parsed.envelope());
                Optional<FollowUpMark> mark = rule.map(r -> FollowUpMark.pending(
                        FollowUpFactory.followUpId(parsed.event().uniqueId(), r.emit()), r.emit()));
                Map<String, String> item = new TreeMap<>();
                EventTable.item(parsed.event().withTrace(trace), mark)
                        .forEach((column, value) -> item.put(column, value.s()));
                stored = Optional.of(Map.copyOf(item));
                item.keySet().removeAll(ADDED_AFTER_RECORD);
                line.put("item", item);
                rule.ifPresent(r -> {
                    FollowUp followUp = followUps.create(parsed.event(), r.emit(), r.name(), EMITTED_AT);
                    line.put(
                            "followUp",
                            Map.of("id", followUp.id(), "type", followUp.type(), "detail", followUp.detail()));
                });
            }
        }
        try {
            return new Outcome(JSON.writeValueAsString(line), stored);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, JsonNode> read(Path file) throws IOException {
        Map<String, JsonNode> values = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            JsonNode node = JSON.readTree(line);
            String name = node.get("name").asText();
            assertThat(values.put(name, node)).as("duplicate name %s", name).isNull();
        }
        return values;
    }

    private static Map<String, String> readLines(Path file) throws IOException {
        if (!Files.exists(file)) {
            return Map.of();
        }
        return Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                .collect(Collectors.toMap(
                        line -> {
                            try {
                                return JSON.readTree(line).get("name").asText();
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                        },
                        line -> line,
                        (a, b) -> fail("duplicate name in " + file),
                        LinkedHashMap::new));
    }
}
