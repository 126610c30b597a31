package com.kahula.eventpersister.listener;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.springframework.messaging.Message;

/**
 * Parks a message that can never succeed, so that nothing is dropped and an operator can read why: its body and its
 * own attributes unchanged, with the reason.
 */
public interface DeadLetterParking {

    /**
     * Completes once the message is parked with {@code reason} (a code such as {@code not-json}), the one-line
     * {@code detail} and, for a conflict, the stored row's hash; fails if it could not be.
     */
    CompletableFuture<Void> park(Message<String> message, String reason, String detail, Optional<String> storedHash);
}
