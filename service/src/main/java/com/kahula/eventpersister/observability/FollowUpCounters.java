package com.kahula.eventpersister.observability;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Collection;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/** The follow-up counters of {@link PersisterMetrics}: by type and outcome, and by outcome over every type. */
final class FollowUpCounters {

    static final String FOLLOW_UPS = "persister.followups";
    static final String FOLLOW_UPS_OF_ANY_TYPE = "persister.followups.all";

    /** What became of a follow-up, as the {@code outcome} tag of {@value #FOLLOW_UPS} names it. */
    enum FollowUpOutcome {
        EMITTED("emitted"),
        RETRIED("retried"),
        FAILED("failed"),
        UNMARKED("unmarked"),
        BUS_REJECTED("rejected"),
        SENT_AGAIN("sent-again");

        final String tag;

        FollowUpOutcome(String tag) {
            this.tag = tag;
        }
    }

    private final MeterRegistry registry;
    private final Map<String, Counter> byType = new ConcurrentHashMap<>();
    private final Map<FollowUpOutcome, Counter> ofAnyType = new EnumMap<>(FollowUpOutcome.class);

    /** Registers every outcome's counters at once, for each of {@code followUpTypes} and over every type. */
    FollowUpCounters(MeterRegistry registry, Collection<String> followUpTypes) {
        this.registry = registry;
        for (FollowUpOutcome outcome : FollowUpOutcome.values()) {
            // the same counts without the type: an alarm's rate over every type, whatever the rules are
            ofAnyType.put(
                    outcome,
                    Counter.builder(FOLLOW_UPS_OF_ANY_TYPE)
                            .description("Follow-up events of every type by what publishing them did")
                            .tag("outcome", outcome.tag)
                            .register(registry));
            for (String type : followUpTypes) {
                counter(type, outcome);
            }
        }
    }

    void count(String type, FollowUpOutcome outcome) {
        counter(type, outcome).increment();
        // every outcome's counter is registered in the constructor
        Objects.requireNonNull(ofAnyType.get(outcome)).increment();
    }

    private Counter counter(String type, FollowUpOutcome outcome) {
        return byType.computeIfAbsent(
                type + '/' + outcome.tag,
                key -> Counter.builder(FOLLOW_UPS)
                        .description("Follow-up events by type and by what publishing them did")
                        .tag("type", type)
                        .tag("outcome", outcome.tag)
                        .register(registry));
    }
}
