package com.kahula.eventpersister.toolkit;

import java.time.Instant;
import java.util.List;

/** The bus, as a replay publishes to it. */
interface ReplayBus {

    /** An event to publish again: its envelope's fields and its detail carrying the replay's mark. */
    record Entry(String source, String detailType, String detail, Instant time) {}

    /**
     * Publishes up to ten entries in one call, in their order, and returns once the bus accepted them all.
     *
     * @throws IllegalStateException when the bus still refuses some after the retries
     */
    void publish(List<Entry> entries);
}
