package com.kahula.eventpersister.toolkit;

import com.kahula.eventpersister.followup.FollowUp;
import java.time.Instant;
import java.util.List;

/** The bus, as a replay publishes to it. */
interface ReplayBus {

    /** An event to publish again: its envelope's fields and its detail carrying the replay's mark. */
    record Entry(String source, String detailType, String detail, Instant time) {

        /** The entry's size as PutEvents counts it, by the same rule as a follow-up's. */
        long size() {
            return FollowUp.entrySize(source, detailType, detail);
        }
    }

    /**
     * Publishes up to ten entries in one call, in their order, and returns once the bus accepted them all.
     *
     * @throws IllegalStateException when the bus still refuses some after the retries
     */
    void publish(List<Entry> entries);
}
