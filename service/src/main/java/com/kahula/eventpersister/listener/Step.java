package com.kahula.eventpersister.listener;

import org.jspecify.annotations.Nullable;
import org.springframework.messaging.Message;

/** A message and its outcome so far; {@code followUp} is what it still waits for before it is done. */
record Step(
        Message<String> message, Outcome outcome, @Nullable PendingFollowUp followUp) {

    Step finished(Outcome finalOutcome) {
        return new Step(message, finalOutcome, null);
    }
}
