package com.kahula.bench;

import com.kahula.eventpersister.event.EventMapping;
import com.kahula.eventpersister.event.EventParser;
import com.kahula.eventpersister.event.ParseResult;
import com.kahula.eventpersister.event.StoredEvent;
import com.kahula.eventpersister.store.EventTable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * What a chaos soak must end with, written down before it starts: each distinct event stored once with its hash, each
 * follow-up emitted and stored, each poison message in the dead-letter queue with its reason, nothing else there.
 */
final class ChaosLedger {

    /** An injected message that can never be stored, and the reason it must be parked with. */
    record Poison(String body, String reason) {}

    /** What the check found; {@link #clean()} when nothing is lost, duplicated or missing. */
    record Verdict(
            int expectedEvents,
            int lostEvents,
            int wrongHashes,
            int expectedFollowUps,
            int missingFollowUps,
            int unmarkedFollowUps,
            int unexpectedRows,
            int poison,
            int poisonParkedRight,
            int unexpectedDeadLetters,
            List<CounterCheck> counters) {

        boolean clean() {
            return lostEvents == 0
                    && wrongHashes == 0
                    && missingFollowUps == 0
                    && unexpectedRows == 0
                    && poisonParkedRight == poison
                    && unexpectedDeadLetters == 0
                    && counters.stream().allMatch(CounterCheck::agrees);
        }

        @Override
        public String toString() {
            return ("events %d: %d lost, %d with a wrong hash; follow-ups %d: %d missing (%d on the bus and stored,"
                            + " their item still PENDING); %d rows neither an event"
                            + " nor its follow-up; poison %d: %d parked with their reason; %d other dead letters;"
                            + " the service's counters: %s")
                    .formatted(
                            expectedEvents,
                            lostEvents,
                            wrongHashes,
                            expectedFollowUps,
                            missingFollowUps,
                            unmarkedFollowUps,
                            unexpectedRows,
                            poison,
                            poisonParkedRight,
                            unexpectedDeadLetters,
                            counters);
        }
    }

    /**
     * One of the service's counters, summed over its processes, against what the ledger found: the ledger's number
     * minus the counted one lies in [0, {@code uncountedBound}], or for an at-least-once count the counted one is at
     * least the ledger's minus the bound. The bound is what the service can have done without counting it: the
     * messages in flight at the kills, whose processes died with their counts, and, for writes, the calls whose
     * answer never came (the write was made, its retry found it as a duplicate).
     */
    record CounterCheck(String what, long counted, long ledger, long uncountedBound, boolean atLeastOnce) {

        boolean agrees() {
            long uncounted = ledger - counted;
            return atLeastOnce ? uncounted <= uncountedBound : uncounted >= 0 && uncounted <= uncountedBound;
        }

        @Override
        public String toString() {
            return "%s %d counted / %d in the ledger (%s %d)%s"
                    .formatted(
                            what,
                            counted,
                            ledger,
                            atLeastOnce ? "at least, less" : "short by at most",
                            uncountedBound,
                            agrees() ? "" : " DISAGREE");
        }
    }

    private final Map<String, String> hashes = new LinkedHashMap<>();
    private final List<String> withFollowUp = new ArrayList<>();
    private final List<Poison> poison;
    private final int injectedDuplicates;

    ChaosLedger(List<String> bodies, List<Poison> poison) {
        EventParser parser = new EventParser(EventMapping.defaults(), 262_144);
        for (String body : bodies) {
            if (parser.parse(body, Instant.now()) instanceof ParseResult.Parsed parsed) {
                StoredEvent event = parsed.event();
                if (hashes.put(event.uniqueId(), event.payloadHash()) == null
                        && (event.eventName().endsWith("UpdatedEvent")
                                || event.eventName().endsWith("ValidatedEvent"))) {
                    withFollowUp.add(event.uniqueId());
                }
            }
        }
        this.poison = List.copyOf(poison);
        this.injectedDuplicates = bodies.size() - hashes.size();
    }

    int distinctEvents() {
        return hashes.size();
    }

    int followUps() {
        return withFollowUp.size();
    }

    /**
     * Holds the table (every item by unique id), the dead letters (body and reason) and the service's counters summed
     * over its processes against the ledger; {@code inFlightAtKills} is what the kills may have taken along uncounted.
     */
    Verdict check(
            Map<String, Map<String, AttributeValue>> table,
            List<Map.Entry<String, String>> deadLetters,
            ServiceCounters counted,
            long inFlightAtKills) {
        int lost = 0;
        int wrongHash = 0;
        for (Map.Entry<String, String> expected : hashes.entrySet()) {
            Map<String, AttributeValue> item = table.get(expected.getKey());
            if (item == null) {
                lost++;
            } else if (!expected.getValue()
                    .equals(item.get(EventTable.PAYLOAD_HASH).s())) {
                wrongHash++;
            }
        }
        int missingFollowUps = 0;
        int unmarkedFollowUps = 0;
        Set<String> expectedRows = new HashSet<>(hashes.keySet());
        for (String uniqueId : withFollowUp) {
            Map<String, AttributeValue> item = table.get(uniqueId);
            AttributeValue status = item == null ? null : item.get(EventTable.FOLLOW_UP_STATUS);
            AttributeValue followUpId = item == null ? null : item.get(EventTable.FOLLOW_UP_ID);
            if (followUpId != null) {
                expectedRows.add(followUpId.s());
            }
            // emitted and stored: the follow-up's own row, under its deterministic id, naming this event as its cause
            Map<String, AttributeValue> followUpRow = followUpId == null ? null : table.get(followUpId.s());
            if (followUpRow == null
                    || !followUpRow.get(EventTable.PAYLOAD).s().contains("\"causationId\":\"" + uniqueId + "\"")) {
                missingFollowUps++;
            } else if (status == null || !"EMITTED".equals(status.s())) {
                // on the bus, its mark lost with a killed process: harmless, and counted to be seen
                unmarkedFollowUps++;
            }
        }
        // the table is keyed by unique id, so a duplicate could only be a row under an id nobody expects
        int unexpectedRows = (int) table.keySet().stream()
                .filter(key -> !expectedRows.contains(key))
                .count();
        Map<String, String> poisonReasons = new HashMap<>();
        poison.forEach(injected -> poisonReasons.put(injected.body(), injected.reason()));
        Set<String> parked = new HashSet<>();
        int unexpected = 0;
        for (Map.Entry<String, String> letter : deadLetters) {
            String reason = poisonReasons.get(letter.getKey());
            if (reason == null) {
                unexpected++;
            } else if (reason.equals(letter.getValue())) {
                // a copy parked again after a kill is still that message
                parked.add(letter.getKey());
            }
        }
        int parkedRight = parked.size();
        List<CounterCheck> counters = List.of(
                new CounterCheck(
                        "stored",
                        counted.get(ServiceCounters.Count.STORED),
                        table.size(),
                        inFlightAtKills + counted.get(ServiceCounters.Count.PUT_ITEM_ERRORS),
                        false),
                new CounterCheck(
                        "parked not-json",
                        counted.get(ServiceCounters.Count.PARKED_NOT_JSON),
                        lettersWith("not-json", deadLetters),
                        inFlightAtKills,
                        false),
                new CounterCheck(
                        "parked store-rejected",
                        counted.get(ServiceCounters.Count.PARKED_STORE_REJECTED),
                        lettersWith("store-rejected", deadLetters),
                        inFlightAtKills,
                        false),
                new CounterCheck(
                        "follow-ups emitted",
                        counted.get(ServiceCounters.Count.FOLLOW_UPS_EMITTED),
                        withFollowUp.size(),
                        inFlightAtKills,
                        true),
                new CounterCheck(
                        "duplicates",
                        counted.get(ServiceCounters.Count.DUPLICATE),
                        injectedDuplicates,
                        inFlightAtKills,
                        true));
        return new Verdict(
                hashes.size(),
                lost,
                wrongHash,
                withFollowUp.size(),
                missingFollowUps,
                unmarkedFollowUps,
                unexpectedRows,
                poison.size(),
                parkedRight,
                unexpected,
                counters);
    }

    private static long lettersWith(String reason, List<Map.Entry<String, String>> deadLetters) {
        return deadLetters.stream()
                .filter(letter -> letter.getValue().equals(reason))
                .count();
    }
}
