package com.kahula.eventpersister.store;

/** What saving an event did. */
public enum SaveOutcome {
    /** The event was new and is now stored. */
    STORED,
    /** The same event (same unique id, same payload hash) was already stored: nothing was written. */
    DUPLICATE,
    /** Another event with the same unique id but other content is stored: it was left untouched. */
    CONFLICT,
    /** The store refuses this event's content (a key too long, an item too large): it can never be stored. */
    REJECTED
}
