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
     * PENDING, and the sweeper sends the follow-up again under the same id.
     */
    void notMarked(StoredEvent event, FollowUpMark mark, Throwable cause);

    /**
     * The bus refused the follow-up {@code mark} of {@code event} for its content, which no resend can mend: the item
     * records it as REJECTED with the bus's words, and the event's message is acknowledged as usual.
     */
    void busRejectedFollowUp(StoredEvent event, FollowUpMark mark, String busWords);

    /**
     * The bus did not take the follow-up {@code mark} of {@code event} this time ({@code cause}: an outage, throttling
     * through every retry, or a refusal that is the service's fault): the item stays PENDING in the outbox, and the
     * sweeper sends the follow-up after its grace period.
     */
    void notSent(StoredEvent event, FollowUpMark mark, Throwable cause);

    /** The follow-up {@code mark} was accepted by the bus, but another send had already marked it: an extra send. */
    void sentAgain(FollowUpMark mark);
}
