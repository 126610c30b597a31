package com.kahula.eventpersister.store;

import com.kahula.eventpersister.event.StoredEvent;
import java.util.concurrent.CompletableFuture;

/** Keeps each event once, by its unique id. */
public interface EventStore {

    /**
     * Stores the event unless one with its unique id is already there. Completes exceptionally only when the store
     * could not be reached within the retry budget: the caller must then let the message be redelivered.
     */
    CompletableFuture<SaveOutcome> save(StoredEvent event);
}
