package com.kahula.eventpersister.followup;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** Puts follow-up events on the bus. */
public interface FollowUpPublisher {

    /**
     * Publishes the follow-ups, retrying what failed for a transient reason within the retry budget. Completes, never
     * exceptionally, with the ids of those the bus accepted; the others must be published again later.
     */
    CompletableFuture<Set<String>> publish(List<FollowUp> followUps);
}
