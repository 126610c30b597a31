package com.kahula.eventpersister.listener;

import com.kahula.eventpersister.event.TraceContext;
import org.jspecify.annotations.Nullable;

/**
 * Traces a follow-up sent without its source message at hand (the sweeper, {@code followups send}): it continues the
 * trace its stored item keeps, as a child of the producer's span, or starts a new one when the item keeps none.
 */
public interface FollowUpTracing {

    /** The span of sending the follow-up of {@code type} of an item that keeps {@code kept}. */
    FollowUpSend resuming(@Nullable TraceContext kept, String type);

    FollowUpTracing NONE = (kept, type) -> FollowUpSend.NONE;
}
