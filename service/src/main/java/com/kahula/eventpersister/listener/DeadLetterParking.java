package com.kahula.eventpersister.listener;

import java.util.concurrent.CompletableFuture;

/**
 * Parks a message that can never succeed, so that nothing is dropped and an operator can read why: its body and its
 * own attributes unchanged, with the reason.
 */
public interface DeadLetterParking {

    /** Completes once {@code message} is parked with its reason, detail and stored hash; fails if it could not be. */
    CompletableFuture<Void> park(ParkedMessage message);
}
