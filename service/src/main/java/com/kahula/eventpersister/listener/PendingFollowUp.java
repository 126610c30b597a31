package com.kahula.eventpersister.listener;

import com.kahula.eventpersister.event.StoredEvent;
import com.kahula.eventpersister.store.FollowUpMark;
import org.jspecify.annotations.Nullable;

/**
 * A follow-up the stored item records as PENDING: its id is decided before the write (deterministic), its detail is
 * built only when it is sent. {@code ruleName} is null when no configured rule emits its type any more.
 */
record PendingFollowUp(
        StoredEvent cause, FollowUpMark mark, @Nullable String ruleName) {}
