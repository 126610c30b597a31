package com.kahula.eventpersister.followup;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Puts follow-up events on the bus. */
public interface FollowUpPublisher {

    /**
     * Publishes the follow-ups, retrying what failed for a transient reason within the retry budget. Completes, never
     * exceptionally, with those the bus accepted and those it refused for their content; the others must be published
     * again later.
     */
    CompletableFuture<Publication> publish(List<FollowUp> followUps);
}
