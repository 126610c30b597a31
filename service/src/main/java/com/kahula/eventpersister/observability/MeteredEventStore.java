package com.kahula.eventpersister.observability;

import com.kahula.eventpersister.event.StoredEvent;
import com.kahula.eventpersister.store.EventStore;
import com.kahula.eventpersister.store.FollowUpMark;
import com.kahula.eventpersister.store.SaveResult;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** Counts what the store decides (stored, duplicate, conflict) and the lag of what it stores, beside the store. */
public final class MeteredEventStore implements EventStore {

    private final EventStore store;
    private final PersisterMetrics metrics;
    private final Clock clock;

    public MeteredEventStore(EventStore store, PersisterMetrics metrics, Clock clock) {
        this.store = store;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    public CompletableFuture<SaveResult> save(StoredEvent event, Optional<FollowUpMark> followUp) {
        return store.save(event, followUp).whenComplete((result, error) -> {
            if (result != null) {
                switch (result.outcome()) {
                    case STORED -> metrics.stored(event.timestamp(), clock.instant());
                    case DUPLICATE -> metrics.duplicate();
                    case CONFLICT -> metrics.conflict();
                    case REJECTED -> {
                        // parked: counted with the message's outcome (OutcomeLogAndReadiness)
                    }
                }
            }
        });
    }

    @Override
    public CompletableFuture<Void> probe() {
        return store.probe();
    }
}
