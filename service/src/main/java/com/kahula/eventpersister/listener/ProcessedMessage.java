package com.kahula.eventpersister.listener;

import org.jspecify.annotations.Nullable;
import org.springframework.messaging.Message;

/** A message and its outcome so far; {@code followUp} is what it still waits for before it is done. */
record ProcessedMessage(
        Message<String> message, Outcome outcome, @Nullable PendingFollowUp followUp) {

    ProcessedMessage finished(Outcome finalOutcome) {
        return new ProcessedMessage(message, finalOutcome, null);
    }
}
