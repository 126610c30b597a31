package com.kahula.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.kahula.eventpersister.support.EventOracle;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * What a chaos soak must end with, computed before it starts from what the generator sent and from nothing of the
 * service's: each distinct event stored once with every column as the contract says (its hash and its follow-up's id
 * by {@link EventOracle}, which shares no code with the service), each follow-up emitted and stored as its own row,
 * each poison message in the dead-letter queue with its reason and nowhere else; and the service's own counters within
 * bounds taken from what the run measured, at the gateway and the bus where it can be.
 */
final class ChaosLedger {

    /** The source of every follow-up, the service's default. */
    static final String FOLLOW_UP_SOURCE = "kahula.event-persister";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));
    private static final DateTimeFormatter STORED_TIME = DateTimeFormatter.ofPattern(
                    "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final int EXAMPLES = 3;

    /**
     * An injected message that can never be stored, the reason it must be parked with, and the unique id it would have
     * if it were stored (null when it has none).
     */
    record Poison(String body, String reason, String uniqueIdIfStored) {}

    /** A source event as the ledger expects it stored, and its follow-up's type and id if a rule matches it. */
    private record Expected(BenchMessages.Sent sent, String followUpType, String followUpId) {}

    /**
     * What the run measured: each message's deliveries through the gateway (all, and those of the poison by reason);
     * the follow-up entries the bus accepted (by follow-up id, the ids it gave each copy on the bus) and, by type, those
     * whose answer a kill held or came late; the PutItem calls the service counted as failed and those the gateway
     * answered with a failed condition, and the PutItem calls in flight at the gateway when a killed process died;
     * the follow-ups whose acceptance the gateway had answered to a process that was then killed (whose EMITTED marks
     * it may have taken along).
     */
    record Measured(
            long deliveries,
            Map<String, Long> poisonDeliveries,
            Map<String, List<String>> busIdsOfFollowUps,
            Map<String, Long> acceptedEntriesUnanswered,
            long putItemErrors,
            long conditionFailedPutItems,
            long putItemsInFlightAtKills,
            Set<String> followUpsHeardByKilledProcesses) {

        /**
         * How many rows the service may have written without counting them stored: a write whose answer came after its
         * call had timed out (each such call counted as failed, and a failed call that is not a failed condition is a
         * timeout or an error) or went to a process already dead (in flight at its kill).
         */
        long uncountedRows() {
            return putItemErrors - conditionFailedPutItems + putItemsInFlightAtKills;
        }
    }

    /** One of the service's counters, summed over its processes, against the bounds the ledger and the run give. */
    record CounterCheck(String what, long counted, long lower, long upper, String basis) {

        boolean agrees() {
            return counted >= lower && counted <= upper;
        }

        @Override
        public String toString() {
            return "%s %d counted, within [%d, %d] (%s)%s"
                    .formatted(what, counted, lower, upper, basis, agrees() ? "" : " OUT OF BOUNDS");
        }
    }

    /**
     * What the check found: every problem by kind with a few examples, the follow-ups left PENDING though on the bus
     * and stored (a mark a kill took along: harmless, shown), the follow-ups a killed process had heard were on the bus
     * that the bus accepted again (the sweeper or a redelivery sending what a lost mark left PENDING), and the counters.
     */
    record Verdict(
            int expectedEvents,
            int expectedFollowUps,
            int poison,
            int rows,
            int deadLetters,
            int unmarkedFollowUps,
            int sentAgainAfterKills,
            SortedMap<String, Integer> problems,
            List<String> examples,
            List<CounterCheck> counters) {

        boolean clean() {
            return problems.isEmpty() && counters.stream().allMatch(CounterCheck::agrees);
        }

        /** The kinds of problem found, a counter out of its bounds as {@code counter <what>}. */
        SortedSet<String> failures() {
            SortedSet<String> failures = new TreeSet<>(problems.keySet());
            counters.stream()
                    .filter(counter -> !counter.agrees())
                    .forEach(counter -> failures.add("counter " + counter.what()));
            return failures;
        }

        @Override
        public String toString() {
            return ("%d events and %d follow-ups expected, %d poison; %d rows, %d dead letters; %d follow-ups on the bus"
                            + " and stored with their item still PENDING; %d heard by killed processes and sent again;"
                            + " problems: %s%s; counters: %s")
                    .formatted(
                            expectedEvents,
                            expectedFollowUps,
                            poison,
                            rows,
                            deadLetters,
                            unmarkedFollowUps,
                            sentAgainAfterKills,
                            problems.isEmpty() ? "none" : problems,
                            examples.isEmpty() ? "" : " " + examples,
                            counters);
        }
    }

    private final Map<String, Expected> events = new LinkedHashMap<>();
    private final Map<String, Expected> followUps = new LinkedHashMap<>();
    private final List<Poison> poison;
    private final int injectedDuplicates;

    ChaosLedger(List<BenchMessages.Sent> sent, List<Poison> poison) {
        for (BenchMessages.Sent message : sent) {
            if (events.containsKey(message.producerId())) {
                continue;
            }
            String type = followUpType(eventName(message.detailType()));
            Expected expected = new Expected(
                    message, type, type == null ? null : EventOracle.followUpId(message.producerId(), type));
            events.put(message.producerId(), expected);
            if (type != null) {
                followUps.put(expected.followUpId(), expected);
            }
        }
        this.poison = List.copyOf(poison);
        this.injectedDuplicates = sent.size() - events.size();
    }

    int distinctEvents() {
        return events.size();
    }

    int followUps() {
        return followUps.size();
    }

    /** Follow-ups expected of one type. */
    long followUps(String type) {
        return followUps.values().stream()
                .filter(expected -> expected.followUpType().equals(type))
                .count();
    }

    int injectedDuplicates() {
        return injectedDuplicates;
    }

    /**
     * Holds the table (every item by unique id), the dead letters (body and reason), the service's counters summed over
     * its processes and what the run measured against the ledger; the run lasted from {@code started} to
     * {@code ended}, which bound every time the service wrote.
     */
    Verdict check(
            Map<String, Map<String, AttributeValue>> table,
            List<Map.Entry<String, String>> deadLetters,
            ServiceCounters counted,
            Measured measured,
            Instant started,
            Instant ended) {
        Findings findings = new Findings(started, ended);
        int unmarked = 0;
        int unexplained = 0;
        for (Expected expected : events.values()) {
            Map<String, AttributeValue> row = table.get(expected.sent().producerId());
            if (row == null) {
                findings.add("lost event", expected.sent().producerId());
                continue;
            }
            findings.columns(
                    row,
                    sourceColumns(expected),
                    Set.of("received_at", "follow_up_status", "follow_up_emitted_at", "follow_up_outbox"));
            findings.storedTime(row, "received_at");
            if (expected.followUpType() != null && followUpState(row, table.get(expected.followUpId()), findings)) {
                unmarked++;
                if (!measured.followUpsHeardByKilledProcesses().contains(expected.followUpId())) {
                    unexplained++;
                }
            }
        }
        for (Expected expected : followUps.values()) {
            Map<String, AttributeValue> row = table.get(expected.followUpId());
            if (row == null) {
                findings.add(
                        "missing follow-up",
                        expected.followUpId() + " of " + expected.sent().producerId());
                continue;
            }
            followUpRow(
                    expected,
                    row,
                    measured.busIdsOfFollowUps().getOrDefault(expected.followUpId(), List.of()),
                    findings);
        }
        Set<String> poisonIds = new HashSet<>();
        poison.stream().map(Poison::uniqueIdIfStored).filter(Objects::nonNull).forEach(poisonIds::add);
        for (String key : table.keySet()) {
            if (poisonIds.contains(key)) {
                findings.add("stored poison", key);
            } else if (!events.containsKey(key) && !followUps.containsKey(key)) {
                findings.add("unexpected row", key);
            }
        }
        // a mark is lost with a process killed after it heard its follow-up was on the bus, or counted unmarked
        long unmarkedCounted = counted.get(ServiceCounters.Count.UNMARKED);
        if (unexplained > unmarkedCounted) {
            findings.add(
                    "follow-ups left PENDING",
                    ("%d items PENDING with their follow-up stored that no killed process had heard was on the bus,"
                                    + " %d counted unmarked")
                            .formatted(unexplained, unmarkedCounted));
        }
        deadLetters(deadLetters, findings);
        int sentAgainAfterKills = (int) measured.followUpsHeardByKilledProcesses().stream()
                .filter(id ->
                        measured.busIdsOfFollowUps().getOrDefault(id, List.of()).size() > 1)
                .count();
        return new Verdict(
                events.size(),
                followUps.size(),
                poison.size(),
                table.size(),
                deadLetters.size(),
                unmarked,
                sentAgainAfterKills,
                findings.problems,
                findings.examples,
                counters(table.size(), counted, measured));
    }

    /** The columns of a source event's row, as the contract derives each from what was sent. */
    private static Map<String, String> sourceColumns(Expected expected) {
        BenchMessages.Sent sent = expected.sent();
        Map<String, String> columns = new LinkedHashMap<>();
        columns.put("unique_id", sent.producerId());
        columns.put("payload_hash", EventOracle.payloadHash(sent.detail()));
        columns.put("mbocdp_id", sent.producerId());
        columns.put("aws_id", sent.awsId());
        columns.put("saga_id", sent.sagaId());
        columns.put("event_name", eventName(sent.detailType()));
        columns.put("detail_type", sent.detailType());
        columns.put("timestamp", STORED_TIME.format(sent.time()));
        columns.put("domain", sent.domain());
        columns.put("source", sent.source());
        columns.put("payload", sent.detail());
        if (expected.followUpType() != null) {
            columns.put("follow_up_id", expected.followUpId());
            columns.put("follow_up_type", expected.followUpType());
        }
        return columns;
    }

    /** Whether the follow-up is stored but its cause's item still says PENDING; a wrong state is a problem. */
    private static boolean followUpState(
            Map<String, AttributeValue> row, Map<String, AttributeValue> followUpRow, Findings findings) {
        String id = row.get("unique_id").s();
        String status = text(row, "follow_up_status");
        if ("EMITTED".equals(status)) {
            findings.storedTime(row, "follow_up_emitted_at");
            if (row.containsKey("follow_up_outbox")) {
                findings.add("EMITTED item left in the outbox", id);
            }
            return false;
        }
        if (!"PENDING".equals(status)) {
            findings.add("wrong follow_up_status", id + ": " + status);
            return false;
        }
        if (row.containsKey("follow_up_emitted_at")) {
            findings.add("unexpected attribute follow_up_emitted_at", id);
        }
        if (!EventOracle.outboxShard(id).equals(text(row, "follow_up_outbox"))) {
            findings.add("PENDING item not in its outbox shard", id + ": " + text(row, "follow_up_outbox"));
        }
        return followUpRow != null;
    }

    /**
     * A follow-up's own row: the event the bus delivered, under the follow-up's id, its detail naming its cause and
     * carrying the cause's payload, its id on the bus one that the bus gave a copy of it.
     */
    private static void followUpRow(
            Expected expected, Map<String, AttributeValue> row, List<String> busIds, Findings findings) {
        BenchMessages.Sent cause = expected.sent();
        String emitted = text(row, "timestamp");
        findings.storedTime(row, "timestamp");
        findings.storedTime(row, "received_at");
        ObjectNode detail = JSON.createObjectNode();
        detail.put("id", expected.followUpId());
        detail.put("domain", cause.domain());
        detail.put("sagaId", cause.sagaId());
        detail.put("timestamp", emitted);
        detail.put("causationId", cause.producerId());
        detail.put("causationEvent", eventName(cause.detailType()));
        detail.set("payload", tree(cause.detail()));
        Map<String, String> columns = new LinkedHashMap<>();
        columns.put("unique_id", expected.followUpId());
        columns.put("payload_hash", EventOracle.payloadHash(detail.toString()));
        columns.put("mbocdp_id", expected.followUpId());
        columns.put("saga_id", cause.sagaId());
        columns.put("event_name", expected.followUpType());
        columns.put("detail_type", expected.followUpType());
        columns.put("domain", cause.domain());
        columns.put("source", FOLLOW_UP_SOURCE);
        findings.columns(row, columns, Set.of("aws_id", "timestamp", "received_at", "payload"));
        String payload = text(row, "payload");
        if (payload == null || !detail.equals(tree(payload))) {
            findings.add("changed payload", expected.followUpId());
        }
        String busId = text(row, "aws_id");
        if (busId == null || !busIds.contains(busId)) {
            findings.add("wrong aws_id", expected.followUpId() + ": " + busId + " is no id the bus gave it");
        }
    }

    /** Every poison message parked with its reason, at least once; nothing else parked. */
    private void deadLetters(List<Map.Entry<String, String>> deadLetters, Findings findings) {
        Map<String, String> reasons = new HashMap<>();
        poison.forEach(injected -> reasons.put(injected.body(), injected.reason()));
        Set<String> parkedRight = new HashSet<>();
        for (Map.Entry<String, String> letter : deadLetters) {
            String reason = reasons.get(letter.getKey());
            if (reason == null) {
                findings.add("unexpected dead letter", letter.getValue() + ": " + abbreviated(letter.getKey()));
            } else if (!reason.equals(letter.getValue())) {
                findings.add("poison parked with another reason", reason + " parked as " + letter.getValue());
            } else {
                parkedRight.add(letter.getKey());
            }
        }
        for (Poison injected : poison) {
            if (!parkedRight.contains(injected.body())) {
                findings.add("poison not parked", injected.reason() + ": " + abbreviated(injected.body()));
            }
        }
    }

    /**
     * The counters against bounds from the ledger and the measurements. A message's last processing, the one whose
     * acknowledgement took it off the queue, always happens in a process whose counts were read (each process is read
     * with every AWS answer held back, just before its kill), so each poison message, each injected copy and each
     * accepted follow-up counts at least once; a delivery counts at most once.
     */
    private List<CounterCheck> counters(int rows, ServiceCounters counted, Measured measured) {
        long stored = counted.get(ServiceCounters.Count.STORED);
        long poisonDeliveries = measured.poisonDeliveries().values().stream()
                .mapToLong(Long::longValue)
                .sum();
        long accepted = measured.busIdsOfFollowUps().values().stream()
                .mapToLong(List::size)
                .sum();
        long uncountedRows = measured.uncountedRows();
        List<CounterCheck> checks = new ArrayList<>();
        checks.add(new CounterCheck(
                "stored",
                stored,
                rows - uncountedRows,
                rows,
                "rows, less the writes whose answer never reached a live caller"));
        checks.add(new CounterCheck(
                "duplicate",
                counted.get(ServiceCounters.Count.DUPLICATE),
                injectedDuplicates + Math.max(0, accepted - followUps.size()),
                measured.deliveries() - poisonDeliveries - rows + uncountedRows,
                "at least the injected copies and the follow-ups' extra copies on the bus; at most the events'"
                        + " deliveries that did not write a row, and the writes whose answer never reached a live"
                        + " caller"));
        checks.add(new CounterCheck(
                "conflict", counted.get(ServiceCounters.Count.CONFLICT), 0, 0, "no event was sent with two payloads"));
        for (String reason : List.of("not-json", "store-rejected")) {
            long sent = poison.stream().filter(p -> p.reason().equals(reason)).count();
            checks.add(new CounterCheck(
                    "parked " + reason,
                    counted.get(
                            reason.equals("not-json")
                                    ? ServiceCounters.Count.PARKED_NOT_JSON
                                    : ServiceCounters.Count.PARKED_STORE_REJECTED),
                    sent,
                    measured.poisonDeliveries().getOrDefault(reason, 0L),
                    "at least the poison sent, at most its deliveries"));
        }
        for (String type : List.of("ValidatableEvent", "IndexableEvent")) {
            long acceptedOfType = followUps.values().stream()
                    .filter(expected -> expected.followUpType().equals(type))
                    .mapToLong(expected -> measured.busIdsOfFollowUps()
                            .getOrDefault(expected.followUpId(), List.of())
                            .size())
                    .sum();
            long lower = acceptedOfType - measured.acceptedEntriesUnanswered().getOrDefault(type, 0L);
            checks.add(new CounterCheck(
                    "follow-ups emitted " + type,
                    counted.get(
                            type.equals("ValidatableEvent")
                                    ? ServiceCounters.Count.VALIDATABLE_EMITTED
                                    : ServiceCounters.Count.INDEXABLE_EMITTED),
                    followUps(type) > 0 ? Math.max(1, lower) : Math.max(0, lower),
                    acceptedOfType,
                    "the entries the bus accepted, less those whose answer was held at a kill or came late"));
        }
        return checks;
    }

    /** The follow-up type the seed's rules give an event name, or null. */
    private static String followUpType(String eventName) {
        if (eventName.endsWith("UpdatedEvent")) {
            return "ValidatableEvent";
        }
        if (eventName.endsWith("ValidatedEvent")) {
            return "IndexableEvent";
        }
        return null;
    }

    private static String eventName(String detailType) {
        return detailType.substring(Math.max(detailType.lastIndexOf('.'), detailType.lastIndexOf('$')) + 1);
    }

    private static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            return JSON.createObjectNode().put("unreadable", true);
        }
    }

    private static String text(Map<String, AttributeValue> row, String attribute) {
        AttributeValue value = row.get(attribute);
        return value == null ? null : value.s();
    }

    private static String abbreviated(String text) {
        return text.length() > 60 ? text.substring(0, 60) + "..." : text;
    }

    /** The problems found, counted by kind, with the first few examples of each. */
    private static final class Findings {

        private final SortedMap<String, Integer> problems = new TreeMap<>();
        private final List<String> examples = new ArrayList<>();
        private final Instant started;
        private final Instant ended;

        Findings(Instant started, Instant ended) {
            this.started = started;
            this.ended = ended;
        }

        void add(String kind, String example) {
            if (problems.merge(kind, 1, Integer::sum) <= EXAMPLES) {
                examples.add(kind + ": " + example);
            }
        }

        /** Each expected column with its value, and no attribute beyond them and {@code checkedApart}. */
        void columns(Map<String, AttributeValue> row, Map<String, String> expected, Set<String> checkedApart) {
            String id = Objects.toString(text(row, "unique_id"));
            expected.forEach((column, value) -> {
                if (!value.equals(text(row, column))) {
                    add(
                            column.equals("payload_hash")
                                    ? "wrong hash"
                                    : column.equals("payload") ? "changed payload" : "wrong " + column,
                            id);
                }
            });
            for (String attribute : row.keySet()) {
                if (!expected.containsKey(attribute) && !checkedApart.contains(attribute)) {
                    add("unexpected attribute " + attribute, id);
                }
            }
        }

        /** A time the service wrote during the run, in the stored form. */
        void storedTime(Map<String, AttributeValue> row, String column) {
            String value = text(row, column);
            try {
                Instant time = Instant.from(STORED_TIME.parse(Objects.requireNonNull(value)));
                if (!STORED_TIME.format(time).equals(value)
                        || time.isBefore(started.minusSeconds(1))
                        || time.isAfter(ended.plusSeconds(1))) {
                    add("wrong " + column, text(row, "unique_id") + ": " + value);
                }
            } catch (DateTimeParseException | NullPointerException e) {
                add("wrong " + column, text(row, "unique_id") + ": " + value);
            }
        }
    }
}
