package com.kahula.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** The chaos ledger's bounds on the service's counters, from what it expects and what the run measured. */
final class ChaosLedgerCounters {

    private ChaosLedgerCounters() {}

    /**
     * The counters against bounds from the ledger and the measurements. A message's last processing, the one whose
     * acknowledgement took it off the queue, always happens in a process whose counts were read (each process is read
     * with every AWS answer held back, just before its kill), so each poison message, each injected copy and each
     * accepted follow-up counts at least once; a delivery counts at most once.
     */
    static List<ChaosLedgerVerdict.CounterCheck> checks(
            int rows,
            ServiceCounters counted,
            ChaosLedger.Measured measured,
            int injectedDuplicates,
            Collection<ChaosLedger.Expected> followUps,
            List<ChaosLedger.Poison> poison) {
        long stored = counted.get(ServiceCounters.Count.STORED);
        long poisonDeliveries = measured.poisonDeliveries().values().stream()
                .mapToLong(Long::longValue)
                .sum();
        long accepted = measured.busIdsOfFollowUps().values().stream()
                .mapToLong(List::size)
                .sum();
        long uncountedRows = measured.uncountedRows();
        List<ChaosLedgerVerdict.CounterCheck> checks = new ArrayList<>();
        checks.add(new ChaosLedgerVerdict.CounterCheck(
                "stored",
                stored,
                rows - uncountedRows,
                rows,
                "rows, less the writes whose answer never reached a live caller"));
        checks.add(new ChaosLedgerVerdict.CounterCheck(
                "duplicate",
                counted.get(ServiceCounters.Count.DUPLICATE),
                injectedDuplicates + Math.max(0, accepted - followUps.size()),
                measured.deliveries() - poisonDeliveries - rows + uncountedRows,
                "at least the injected copies and the follow-ups' extra copies on the bus; at most the events'"
                        + " deliveries that did not write a row, and the writes whose answer never reached a live"
                        + " caller"));
        checks.add(new ChaosLedgerVerdict.CounterCheck(
                "conflict", counted.get(ServiceCounters.Count.CONFLICT), 0, 0, "no event was sent with two payloads"));
        for (String reason : List.of("not-json", "store-rejected")) {
            long sent = poison.stream().filter(p -> p.reason().equals(reason)).count();
            checks.add(new ChaosLedgerVerdict.CounterCheck(
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
            long acceptedOfType = followUps.stream()
                    .filter(expected -> expected.followUpType().equals(type))
                    .mapToLong(expected -> measured.busIdsOfFollowUps()
                            .getOrDefault(expected.followUpId(), List.of())
                            .size())
                    .sum();
            long lower = acceptedOfType - measured.acceptedEntriesUnanswered().getOrDefault(type, 0L);
            checks.add(new ChaosLedgerVerdict.CounterCheck(
                    "follow-ups emitted " + type,
                    counted.get(
                            type.equals("ValidatableEvent")
                                    ? ServiceCounters.Count.VALIDATABLE_EMITTED
                                    : ServiceCounters.Count.INDEXABLE_EMITTED),
                    expectedOfType(followUps, type) > 0 ? Math.max(1, lower) : Math.max(0, lower),
                    acceptedOfType,
                    "the entries the bus accepted, less those whose answer was held at a kill or came late"));
        }
        return checks;
    }

    /** Follow-ups expected of one type. */
    static long expectedOfType(Collection<ChaosLedger.Expected> followUps, String type) {
        return followUps.stream()
                .filter(expected -> expected.followUpType().equals(type))
                .count();
    }
}
