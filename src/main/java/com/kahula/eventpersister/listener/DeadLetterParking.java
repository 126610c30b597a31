package com.kahula.eventpersister.listener;

import java.util.concurrent.CompletableFuture;

/**
 * Parks a message that can never succeed, so that nothing is dropped and an operator can read why: its body
 * unchanged, with the reason.
 */
public interface DeadLetterParking {

    /**
     * Completes once the message is parked with {@code reason} (a code such as {@code not-json}) and the one-line
     * {@code detail}; fails if it could not be.
     */
    CompletableFuture<Void> park(String body, String reason, String detail);
}
