package com.kahula.eventpersister.listener;

import org.jspecify.annotations.Nullable;
import org.springframework.messaging.Message;

/**
 * A message, the span of its work and its outcome so far; {@code followUp} is what it still waits for before it is
 * done.
 */
record ProcessedMessage(
        Message<String> message,
        MessageTrace trace,
        Outcome outcome,
        @Nullable PendingFollowUp followUp) {

    ProcessedMessage finished(Outcome finalOutcome) {
        return new ProcessedMessage(message, trace, finalOutcome, null);
    }
}
