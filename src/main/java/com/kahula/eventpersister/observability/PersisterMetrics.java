package com.kahula.eventpersister.observability;

import com.kahula.eventpersister.event.Rejection;
import com.kahula.eventpersister.followup.EventBridgeFollowUpPublisher;
import com.kahula.eventpersister.followup.FollowUp;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Every metric of the service, named and tagged in this one place; tags take only bounded values. */
public final class PersisterMetrics {

    static final String EVENTS = "persister.events";
    static final String BATCH_SIZE = "persister.batch.size";
    static final String FOLLOW_UPS = "persister.followups";

    private final Counter stored;
    private final Counter duplicate;
    private final Counter conflict;
    private final Counter failed;
    private final Map<Rejection, Counter> parked = new EnumMap<>(Rejection.class);
    private final DistributionSummary batchSize;
    private final MeterRegistry registry;
    private final Map<String, Counter> followUps = new ConcurrentHashMap<>();

    public PersisterMetrics(MeterRegistry registry) {
        this.registry = registry;
        stored = outcome(registry, "stored");
        duplicate = outcome(registry, "duplicate");
        conflict = outcome(registry, "conflict");
        failed = outcome(registry, "failed");
        for (Rejection reason : Rejection.values()) {
            parked.put(
                    reason,
                    Counter.builder(EVENTS)
                            .description("Events by what processing them did")
                            .tag("outcome", "parked")
                            .tag("reason", reason.code())
                            .register(registry));
        }
        batchSize = DistributionSummary.builder(BATCH_SIZE)
                .description("Messages received in one poll")
                .register(registry);
    }

    public void stored() {
        stored.increment();
    }

    public void duplicate() {
        duplicate.increment();
    }

    public void conflict() {
        conflict.increment();
    }

    public void failed() {
        failed.increment();
    }

    public void parked(Rejection reason) {
        parked.get(reason).increment();
    }

    public void batch(int size) {
        batchSize.record(size);
    }

    /** Counts follow-ups by type (one per configured rule, so bounded) and by what happened to them. */
    public EventBridgeFollowUpPublisher.Listener followUpListener() {
        return new EventBridgeFollowUpPublisher.Listener() {
            @Override
            public void emitted(FollowUp followUp) {
                followUp(followUp, "emitted");
            }

            @Override
            public void retried(FollowUp followUp) {
                followUp(followUp, "retried");
            }

            @Override
            public void failed(FollowUp followUp) {
                followUp(followUp, "failed");
            }
        };
    }

    private void followUp(FollowUp followUp, String outcome) {
        followUps
                .computeIfAbsent(
                        followUp.type() + '/' + outcome,
                        key -> Counter.builder(FOLLOW_UPS)
                                .description("Follow-up events by type and by what publishing them did")
                                .tag("type", followUp.type())
                                .tag("outcome", outcome)
                                .register(registry))
                .increment();
    }

    private static Counter outcome(MeterRegistry registry, String outcome) {
        return Counter.builder(EVENTS)
                .description("Events by what processing them did")
                .tag("outcome", outcome)
                .tag("reason", "none")
                .register(registry);
    }
}
