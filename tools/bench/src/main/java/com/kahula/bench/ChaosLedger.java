package com.kahula.bench;

import com.kahula.eventpersister.support.EventOracle;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
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

    /**
     * An injected message that can never be stored, the reason it must be parked with, and the unique id it would have
     * if it were stored (null when it has none).
     */
    record Poison(String body, String reason, String uniqueIdIfStored) {}

    /** A source event as the ledger expects it stored, and its follow-up's type and id if a rule matches it. */
    record Expected(BenchMessages.Sent sent, String followUpType, String followUpId) {}

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
        return ChaosLedgerCounters.expectedOfType(followUps.values(), type);
    }

    int injectedDuplicates() {
        return injectedDuplicates;
    }

    /**
     * Holds the table (every item by unique id), the dead letters (body and reason), the service's counters summed over
     * its processes and what the run measured against the ledger; the run lasted from {@code started} to
     * {@code ended}, which bound every time the service wrote. What it finds: every problem by kind with a few
     * examples, the follow-ups left PENDING though on the bus and stored (a mark a kill took along: harmless, shown),
     * the follow-ups a killed process had heard were on the bus that the bus accepted again (the sweeper or a
     * redelivery sending what a lost mark left PENDING), and the counters.
     */
    ChaosLedgerVerdict check(
            Map<String, Map<String, AttributeValue>> table,
            List<Map.Entry<String, String>> deadLetters,
            ServiceCounters counted,
            Measured measured,
            Instant started,
            Instant ended) {
        ChaosLedgerFindings findings = new ChaosLedgerFindings(started, ended);
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
                    ChaosLedgerRows.sourceColumns(expected),
                    Set.of("received_at", "follow_up_status", "follow_up_emitted_at", "follow_up_outbox"));
            findings.storedTime(row, "received_at");
            if (expected.followUpType() != null
                    && ChaosLedgerRows.followUpState(row, table.get(expected.followUpId()), findings)) {
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
            ChaosLedgerRows.followUpRow(
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
        ChaosLedgerDeadLetters.check(poison, deadLetters, findings);
        int sentAgainAfterKills = (int) measured.followUpsHeardByKilledProcesses().stream()
                .filter(id ->
                        measured.busIdsOfFollowUps().getOrDefault(id, List.of()).size() > 1)
                .count();
        return new ChaosLedgerVerdict(
                events.size(),
                followUps.size(),
                poison.size(),
                table.size(),
                deadLetters.size(),
                unmarked,
                sentAgainAfterKills,
                findings.problems(),
                findings.examples(),
                ChaosLedgerCounters.checks(
                        table.size(), counted, measured, injectedDuplicates, followUps.values(), poison));
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

    /** The event name in a detail-type: what follows its last '.' or '$'. */
    static String eventName(String detailType) {
        return detailType.substring(Math.max(detailType.lastIndexOf('.'), detailType.lastIndexOf('$')) + 1);
    }
}
