package com.kahula.eventpersister.toolkit;

import com.kahula.eventpersister.store.StoredItem;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** The events the table holds: a saga's in time order, page by page, or those of a time range. */
interface StoredEvents {

    /** One page of a saga's events, oldest first, and where the next page starts if there is one. */
    record Page(List<StoredItem> events, Optional<SagaPosition> next) {

        public Page {
            events = List.copyOf(events);
        }
    }

    /** Up to {@code size} events of the saga after {@code after} (from its start when empty), in time order. */
    Page sagaPage(String sagaId, int size, Optional<SagaPosition> after);

    /** Hands every event whose time is in {@code [since, until)} to {@code each}, in no particular order. */
    void between(Instant since, Instant until, Consumer<StoredItem> each);
}
