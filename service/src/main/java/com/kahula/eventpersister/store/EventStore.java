package com.kahula.eventpersister.store;

import com.kahula.eventpersister.event.StoredEvent;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** Keeps each event once, by its unique id, with the state of the follow-up it causes. */
public interface EventStore {

    /**
     * Stores the event unless one with its unique id is already there; a new item records {@code followUp} as
     * PENDING. Completes exceptionally only when the store could not be reached within the retry budget: the caller
     * must then let the message be redelivered.
     */
    CompletableFuture<SaveResult> save(StoredEvent event, Optional<FollowUpMark> followUp);

    /**
     * Checks, without storing anything, whether the store takes writes again after it failed for every write;
     * completes exceptionally while it does not.
     */
    CompletableFuture<Void> probe();
}
