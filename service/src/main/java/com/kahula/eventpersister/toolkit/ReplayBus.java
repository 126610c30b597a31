package com.kahula.eventpersister.toolkit;

import com.kahula.eventpersister.followup.FollowUp;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The bus, as a replay publishes to it. */
interface ReplayBus {

    /**
     * An event to publish again: its envelope's fields, its detail carrying the replay's mark, and the X-Ray trace
     * header of the trace it arrived in (null when it came without one).
     */
    record Entry(
            String source,
            String detailType,
            String detail,
            Instant time,
            @Nullable String traceHeader) {

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
