package com.kahula.eventpersister.toolkit;

import java.util.List;

/** The service's queue, as a restore sends to it. */
interface RestoreQueue {

    /**
     * Sends up to ten envelopes as one batch, each marked as a restore ({@code persister-restore}), and returns once
     * the queue took them all.
     *
     * @throws IllegalStateException when the queue still refuses some after the retries
     */
    void send(List<String> envelopes, boolean withFollowUps);
}
