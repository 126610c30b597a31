package com.kahula.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.kahula.eventpersister.event.EventMapping;
import com.kahula.eventpersister.event.EventParser;
import com.kahula.eventpersister.event.ParseResult;
import com.kahula.eventpersister.event.StoredEvent;
import com.kahula.eventpersister.event.TraceContext;
import com.kahula.eventpersister.followup.FollowUp;
import com.kahula.eventpersister.followup.FollowUpFactory;
import com.kahula.eventpersister.store.EventTable;
import com.kahula.eventpersister.store.FollowUpMark;
import com.kahula.eventpersister.support.EventOracle;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The chaos ledger against a table written the way the service writes it (its parser, its item, its follow-up factory,
 * the bus's envelope), and against that table broken in each way a soak must catch: each break fails the check, named.
 */
class ChaosLedgerTests {

    private static final Instant STARTED = Instant.parse("2026-12-04T10:00:00Z");
    private static final Instant STORED_AT = STARTED.plusSeconds(30);
    private static final Instant ENDED = STARTED.plusSeconds(60);
    // as the bus reads a detail: numbers at their exact written value
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));

    private final List<BenchMessages.Sent> sent = BenchMessages.chaos(400, 5);
    private final List<ChaosLedger.Poison> poison = List.of(
            new ChaosLedger.Poison("not json 1", "not-json", null),
            new ChaosLedger.Poison("not json 2", "not-json", null),
            new ChaosLedger.Poison(
                    "{\"detail\":{\"id\":\"" + "x".repeat(3000) + "\"}}", "store-rejected", "x".repeat(3000)));
    private final ChaosLedger ledger = new ChaosLedger(sent, poison);

    private final Map<String, Map<String, AttributeValue>> table = new LinkedHashMap<>();
    private final Map<String, List<String>> busIds = new HashMap<>();
    private final List<Map.Entry<String, String>> deadLetters = new ArrayList<>();
    private final Map<ServiceCounters.Count, Long> counts = new EnumMap<>(ServiceCounters.Count.class);
    private String someFollowUp;
    private String someSourceWithFollowUp;

    ChaosLedgerTests() {
        EventParser parser = new EventParser(EventMapping.defaults(), 262_144);
        FollowUpFactory factory = new FollowUpFactory(ChaosLedger.FOLLOW_UP_SOURCE, FollowUpFactory.MAX_ENTRY_SIZE);
        long validatable = 0;
        long indexable = 0;
        for (BenchMessages.Sent message : sent) {
            StoredEvent event = parsed(parser, message.body());
            if (table.containsKey(event.uniqueId())) {
                continue;
            }
            String type = event.eventName().endsWith("UpdatedEvent")
                    ? "ValidatableEvent"
                    : event.eventName().endsWith("ValidatedEvent") ? "IndexableEvent" : null;
            if (type == null) {
                table.put(event.uniqueId(), EventTable.item(event, Optional.empty()));
                continue;
            }
            String followUpId = FollowUpFactory.followUpId(event.uniqueId(), type);
            Map<String, AttributeValue> item = new HashMap<>(EventTable.item(
                    event, Optional.of(new FollowUpMark(followUpId, type, FollowUpMark.Status.EMITTED))));
            item.put("follow_up_emitted_at", AttributeValue.fromS("2026-12-04T10:00:31.000Z"));
            table.put(event.uniqueId(), item);
            FollowUp followUp = factory.create(event, type, "rule", STORED_AT.plusSeconds(1));
            String busId = "bus-" + followUpId;
            // the follow-up came back through the bus in the trace of the span that sent it
            TraceContext sentIn = new TraceContext(
                    followUpId.replace("-", ""), followUpId.replace("-", "").substring(0, 16), false);
            table.put(
                    followUpId,
                    EventTable.item(parsed(parser, delivered(followUp, busId)).withTrace(sentIn), Optional.empty()));
            busIds.put(followUpId, List.of(busId));
            someFollowUp = followUpId;
            someSourceWithFollowUp = event.uniqueId();
            if (type.equals("ValidatableEvent")) {
                validatable++;
            } else {
                indexable++;
            }
        }
        poison.forEach(injected -> deadLetters.add(Map.entry(injected.body(), injected.reason())));
        counts.put(ServiceCounters.Count.STORED, (long) table.size());
        counts.put(ServiceCounters.Count.DUPLICATE, (long) ledger.injectedDuplicates());
        counts.put(ServiceCounters.Count.PARKED_NOT_JSON, 2L);
        counts.put(ServiceCounters.Count.PARKED_STORE_REJECTED, 1L);
        counts.put(ServiceCounters.Count.VALIDATABLE_EMITTED, validatable);
        counts.put(ServiceCounters.Count.INDEXABLE_EMITTED, indexable);
    }

    @Test
    void theGeneratedMixHoldsBothRulesAndDuplicates() {
        assertThat(ledger.followUps("ValidatableEvent")).isPositive();
        assertThat(ledger.followUps("IndexableEvent")).isPositive();
        assertThat(ledger.injectedDuplicates()).isPositive();
    }

    @Test
    void findsNothingWrongWithATableWrittenTheWayTheServiceWritesIt() {
        ChaosLedgerVerdict verdict = check();

        assertThat(verdict.failures()).as("%s", verdict).isEmpty();
        assertThat(verdict.clean()).isTrue();
        assertThat(verdict.expectedFollowUps()).isEqualTo(busIds.size());
    }

    @Test
    void namesALostEvent() {
        table.remove(sent.getFirst().producerId());
        counts.merge(ServiceCounters.Count.STORED, -1L, Long::sum);

        assertThat(check().failures()).containsExactly("lost event");
    }

    @Test
    void namesAWrongHash() {
        row(sent.getFirst().producerId()).put("payload_hash", AttributeValue.fromS("0".repeat(64)));

        assertThat(check().failures()).containsExactly("wrong hash");
    }

    @Test
    void namesAChangedPayloadOfAnEvent() {
        Map<String, AttributeValue> row = row(sent.getFirst().producerId());
        row.put(
                "payload",
                AttributeValue.fromS(row.get("payload").s().replace("\"currency\":\"EUR\"", "\"currency\":\"USD\"")));

        assertThat(check().failures()).containsExactly("changed payload");
    }

    @Test
    void namesAPayloadWhoseNumberLostItsTrailingZero() {
        BenchMessages.Sent withTrailingZero = sent.stream()
                .filter(message -> message.detail().matches(".*\"price\":\\d+\\.\\d0,.*"))
                .findFirst()
                .orElseThrow();
        Map<String, AttributeValue> row = row(withTrailingZero.producerId());
        row.put(
                "payload",
                AttributeValue.fromS(
                        row.get("payload").s().replaceFirst("\"price\":(\\d+)\\.(\\d)0,", "\"price\":$1.$2,")));

        assertThat(row.get("payload").s()).isNotEqualTo(withTrailingZero.detail());
        assertThat(check().failures()).containsExactly("changed payload");
    }

    @Test
    void namesAChangedPayloadOfAFollowUp() {
        Map<String, AttributeValue> row = row(someFollowUp);
        row.put(
                "payload",
                AttributeValue.fromS(
                        row.get("payload").s().replace("\"causationEvent\":\"", "\"causationEvent\":\"X")));

        assertThat(check().failures()).containsExactly("changed payload");
    }

    @Test
    void namesAFollowUpRowWithoutItsTraceOrWithATraceParentOfAnotherTrace() {
        row(someFollowUp).remove("trace_id");
        assertThat(check().failures()).containsExactly("follow-up without its trace");

        row(someFollowUp).put("trace_id", AttributeValue.fromS("0af7651916cd43dd8448eb211c80319c"));
        assertThat(check().failures()).containsExactly("follow-up's trace_parent not of its trace");
    }

    @Test
    void namesATraceOnAnEventThatCameWithoutOne() {
        row(sent.getFirst().producerId()).put("trace_id", AttributeValue.fromS("0af7651916cd43dd8448eb211c80319c"));

        assertThat(check().failures()).containsExactly("unexpected attribute trace_id");
    }

    @Test
    void namesAMissingFollowUp() {
        table.remove(someFollowUp);
        counts.merge(ServiceCounters.Count.STORED, -1L, Long::sum);

        assertThat(check().failures()).containsExactly("missing follow-up");
    }

    @Test
    void namesAnUnexpectedRow() {
        Map<String, AttributeValue> copy = new HashMap<>(row(sent.getFirst().producerId()));
        copy.put("unique_id", AttributeValue.fromS("someone-else"));
        table.put("someone-else", copy);
        counts.merge(ServiceCounters.Count.STORED, 1L, Long::sum);

        assertThat(check(measured(1, 0, 0, 0, Set.of())).failures()).containsExactly("unexpected row");
    }

    @Test
    void namesAStoredPoison() {
        table.put("x".repeat(3000), Map.of("unique_id", AttributeValue.fromS("x".repeat(3000))));
        counts.merge(ServiceCounters.Count.STORED, 1L, Long::sum);

        assertThat(check(measured(1, 0, 0, 0, Set.of())).failures()).containsExactly("stored poison");
    }

    @Test
    void namesAPoisonMessageNotParkedAndALetterNobodySent() {
        deadLetters.removeFirst();
        deadLetters.add(Map.entry("{\"a\":1}", "not-json"));

        assertThat(check().failures()).containsExactlyInAnyOrder("poison not parked", "unexpected dead letter");
    }

    @Test
    void namesAFollowUpRowWhoseBusIdTheBusNeverGave() {
        row(someFollowUp).put("aws_id", AttributeValue.fromS("invented"));

        assertThat(check().failures()).containsExactly("wrong aws_id");
    }

    @Test
    void namesAWrongFollowUpIdOnTheCause() {
        row(someSourceWithFollowUp).put("follow_up_id", AttributeValue.fromS("f-1"));

        assertThat(check().failures()).containsExactly("wrong follow_up_id");
    }

    @Test
    void namesAStoredTimeTakenFromTheEnvelopeRatherThanTheDetail() {
        BenchMessages.Sent first = sent.getFirst();
        row(first.producerId()).put("timestamp", AttributeValue.fromS("2026-11-27T10:00:00.000Z"));

        assertThat(first.time()).isNotEqualTo(Instant.parse("2026-11-27T10:00:00Z"));
        assertThat(check().failures()).containsExactly("wrong timestamp");
    }

    @Test
    void namesAFollowUpMarkedEmittedWithoutItsTimeAndAStatusThatIsNeither() {
        row(someSourceWithFollowUp).remove("follow_up_emitted_at");
        String other = table.values().stream()
                .filter(item -> item.containsKey("follow_up_status"))
                .map(item -> item.get("unique_id").s())
                .filter(id -> !id.equals(someSourceWithFollowUp))
                .findFirst()
                .orElseThrow();
        row(other).put("follow_up_status", AttributeValue.fromS("SENT"));

        assertThat(check().failures()).containsExactly("wrong follow_up_emitted_at", "wrong follow_up_status");
    }

    @Test
    void namesATimeOutsideTheRun() {
        row(sent.getFirst().producerId()).put("received_at", AttributeValue.fromS("2026-12-04T09:00:00.000Z"));

        assertThat(check().failures()).containsExactly("wrong received_at");
    }

    @Test
    void showsAFollowUpLeftPendingThoughStoredWhenAKillTookItsMarkAlong() {
        Map<String, AttributeValue> cause = row(someSourceWithFollowUp);
        cause.put("follow_up_status", AttributeValue.fromS("PENDING"));
        cause.put("follow_up_outbox", AttributeValue.fromS(EventOracle.outboxShard(someSourceWithFollowUp)));
        cause.remove("follow_up_emitted_at");

        assertThat(check().failures()).containsExactly("follow-ups left PENDING");
        ChaosLedgerVerdict verdict = check(measured(0, 0, 0, 0, Set.of(someFollowUp)));
        assertThat(verdict.failures()).isEmpty();
        assertThat(verdict.unmarkedFollowUps()).isEqualTo(1);
    }

    @Test
    void namesAPendingItemOutsideItsOutboxShardAndAnEmittedOneLeftInTheOutbox() {
        Map<String, AttributeValue> pending = row(someSourceWithFollowUp);
        pending.put("follow_up_status", AttributeValue.fromS("PENDING"));
        pending.remove("follow_up_emitted_at");
        String otherShard =
                EventOracle.outboxShard(someSourceWithFollowUp).equals("pending-00") ? "pending-01" : "pending-00";
        pending.put("follow_up_outbox", AttributeValue.fromS(otherShard));

        assertThat(check(measured(0, 0, 0, 0, Set.of(someFollowUp))).failures())
                .containsExactly("PENDING item not in its outbox shard");

        pending.put("follow_up_status", AttributeValue.fromS("EMITTED"));
        pending.put("follow_up_emitted_at", AttributeValue.fromS("2026-12-04T10:00:31.000Z"));
        assertThat(check().failures()).containsExactly("EMITTED item left in the outbox");
    }

    @Test
    void countsTheFollowUpsKilledProcessesHadHeardOfThatTheBusAcceptedAgain() {
        ChaosLedger.Measured once = measured(0, 0, 0, 0, Set.of(someFollowUp));
        Map<String, List<String>> twice = new HashMap<>(once.busIdsOfFollowUps());
        twice.put(
                someFollowUp,
                Stream.concat(twice.get(someFollowUp).stream(), Stream.of("another-bus-id"))
                        .toList());

        assertThat(check(once).sentAgainAfterKills()).isZero();
        assertThat(check(new ChaosLedger.Measured(
                                once.deliveries(),
                                once.poisonDeliveries(),
                                twice,
                                once.acceptedEntriesUnanswered(),
                                once.putItemErrors(),
                                once.conditionFailedPutItems(),
                                once.putItemsInFlightAtKills(),
                                once.followUpsHeardByKilledProcesses()))
                        .sentAgainAfterKills())
                .isEqualTo(1);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("everyCounterOffByOne")
    void namesACounterOffByOneForItsClass(ServiceCounters.Count count, long offBy, String named) {
        counts.merge(count, offBy, Long::sum);

        assertThat(check().failures()).containsExactly("counter " + named);
    }

    static Stream<Arguments> everyCounterOffByOne() {
        List<Arguments> cases = new ArrayList<>();
        Map<ServiceCounters.Count, String> names = Map.of(
                ServiceCounters.Count.STORED, "stored",
                ServiceCounters.Count.DUPLICATE, "duplicate",
                ServiceCounters.Count.CONFLICT, "conflict",
                ServiceCounters.Count.PARKED_NOT_JSON, "parked not-json",
                ServiceCounters.Count.PARKED_STORE_REJECTED, "parked store-rejected",
                ServiceCounters.Count.VALIDATABLE_EMITTED, "follow-ups emitted ValidatableEvent",
                ServiceCounters.Count.INDEXABLE_EMITTED, "follow-ups emitted IndexableEvent");
        names.forEach((count, name) -> {
            cases.add(Arguments.of(count, 1L, name));
            if (count != ServiceCounters.Count.CONFLICT) {
                cases.add(Arguments.of(count, -1L, name));
            }
        });
        return cases.stream();
    }

    @Test
    void namesACounterThatCountedNothingOfAClassThatWasSentHoweverManyAnswersWereLost() {
        counts.put(ServiceCounters.Count.INDEXABLE_EMITTED, 0L);

        ChaosLedgerVerdict verdict = check(measured(0, 0, 0, 1_000_000, Set.of()));

        assertThat(verdict.failures()).containsExactly("counter follow-ups emitted IndexableEvent");
    }

    @Test
    void widensTheBoundsByWhatTheRunMeasuredAndNoFurther() {
        counts.merge(ServiceCounters.Count.STORED, -5L, Long::sum);
        counts.merge(ServiceCounters.Count.DUPLICATE, 5L, Long::sum);

        assertThat(check(measured(5, 3, 2, 0, Set.of())).failures()).isEmpty();
        assertThat(check(measured(5, 3, 1, 0, Set.of())).failures()).containsExactly("counter stored");
        counts.merge(ServiceCounters.Count.DUPLICATE, 6L, Long::sum);
        assertThat(check(measured(5, 3, 2, 0, Set.of())).failures()).containsExactly("counter duplicate");
    }

    @Test
    void doesNotTakeTheFailedConditionsOfDuplicatesForWritesWhoseAnswerWasLost() {
        long duplicates = ledger.injectedDuplicates();
        counts.merge(ServiceCounters.Count.STORED, -duplicates, Long::sum);
        counts.merge(ServiceCounters.Count.DUPLICATE, duplicates, Long::sum);

        assertThat(check().failures()).containsExactly("counter duplicate", "counter stored");
    }

    @Test
    void namesFollowUpsLeftPendingBeyondTheMarksTheKillsTookAlong() {
        table.values().stream()
                .filter(row -> row.containsKey("follow_up_status"))
                .map(row -> row.get("unique_id").s())
                .toList()
                .forEach(id -> {
                    Map<String, AttributeValue> cause = row(id);
                    cause.put("follow_up_status", AttributeValue.fromS("PENDING"));
                    cause.put("follow_up_outbox", AttributeValue.fromS(EventOracle.outboxShard(id)));
                    cause.remove("follow_up_emitted_at");
                });

        assertThat(check(measured(0, 0, 0, 0, Set.of())).failures()).containsExactly("follow-ups left PENDING");
    }

    private ChaosLedgerVerdict check() {
        return check(measured(0, 0, 0, 0, Set.of()));
    }

    private ChaosLedgerVerdict check(ChaosLedger.Measured measured) {
        return ledger.check(table, deadLetters, ServiceCounters.of(counts), measured, STARTED, ENDED);
    }

    /**
     * What a run measures in which each message is delivered once and each follow-up accepted once, with
     * {@code redeliveries} more deliveries, {@code timeouts} PutItem calls that timed out besides the failed conditions
     * of the injected copies (both counted as failed by the service, as a real run counts them), the PutItem calls in
     * flight at the kills, the accepted IndexableEvent entries whose answer was lost and the follow-ups killed processes
     * had heard were on the bus as given.
     */
    private ChaosLedger.Measured measured(
            long redeliveries, long timeouts, long putItemsInFlight, long unanswered, Set<String> heard) {
        long deliveries = sent.size() + poison.size() + busIds.size() + redeliveries;
        long conditionFailures = ledger.injectedDuplicates();
        return new ChaosLedger.Measured(
                deliveries,
                Map.of("not-json", 2L, "store-rejected", 1L),
                busIds,
                Map.of("IndexableEvent", unanswered),
                conditionFailures + timeouts,
                conditionFailures,
                putItemsInFlight,
                heard);
    }

    private Map<String, AttributeValue> row(String uniqueId) {
        Map<String, AttributeValue> row = new HashMap<>(table.get(uniqueId));
        table.put(uniqueId, row);
        return row;
    }

    private static StoredEvent parsed(EventParser parser, String body) {
        return ((ParseResult.Parsed) parser.parse(body, STORED_AT)).event();
    }

    /** The envelope in which the bus delivers a follow-up to the queue, as EventBridge writes it. */
    private static String delivered(FollowUp followUp, String busId) {
        try {
            ObjectNode envelope = JSON.createObjectNode();
            envelope.put("version", "0");
            envelope.put("id", busId);
            envelope.put("detail-type", followUp.type());
            envelope.put("source", followUp.source());
            envelope.put("account", "000000000000");
            envelope.put("time", "2026-12-04T10:00:31Z");
            envelope.put("region", "us-east-1");
            envelope.putArray("resources");
            envelope.set("detail", JSON.readTree(followUp.detail()));
            return envelope.toString();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
