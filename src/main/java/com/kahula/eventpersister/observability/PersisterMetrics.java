package com.kahula.eventpersister.observability;

import com.kahula.eventpersister.event.Rejection;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;

/** Every metric of the service, named and tagged in this one place; tags take only bounded values. */
public final class PersisterMetrics {

    static final String EVENTS = "persister.events";
    static final String BATCH_SIZE = "persister.batch.size";

    private final Counter stored;
    private final Counter duplicate;
    private final Counter conflict;
    private final Counter failed;
    private final Map<Rejection, Counter> parked = new EnumMap<>(Rejection.class);
    private final DistributionSummary batchSize;

    public PersisterMetrics(MeterRegistry registry) {
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

    private static Counter outcome(MeterRegistry registry, String outcome) {
        return Counter.builder(EVENTS)
                .description("Events by what processing them did")
                .tag("outcome", outcome)
                .tag("reason", "none")
                .register(registry);
    }
}
