package com.kahula.bench;

import java.util.List;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeSet;

/** The chaos ledger's verdict: problems by kind, follow-ups a kill left PENDING or sent again, the counters. */
record ChaosLedgerVerdict(
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
}
