package com.kahula.eventpersister.listener;

import com.kahula.eventpersister.event.StoredEvent;
import com.kahula.eventpersister.store.FollowUpMark;

/** Hears what becomes of each batch and message, for metrics and logs; the pipeline's decisions never depend on it. */
public interface OutcomeListener {

    /** A poll returned {@code size} messages. */
    void received(int size);

    /** A message came to {@code outcome}, {@code startedNanos} ({@link System#nanoTime()}) after its batch arrived. */
    void finished(Outcome outcome, long startedNanos);

    /**
     * The follow-up {@code mark} of {@code event} is on the bus but could not be recorded as EMITTED: the item stays
     * PENDING, and a redelivery of the event would send the follow-up again under the same id.
     */
    void notMarked(StoredEvent event, FollowUpMark mark, Throwable cause);
}
