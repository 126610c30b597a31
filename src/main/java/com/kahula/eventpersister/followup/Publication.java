package com.kahula.eventpersister.followup;

import java.util.Map;
import java.util.Set;

/**
 * What publishing follow-ups came to: the ids the bus accepted, and those it refused for their content (id to the
 * bus's reason), which no retry can mend. Any other follow-up was not published this time and stays PENDING.
 */
public record Publication(Set<String> accepted, Map<String, String> rejected) {

    public Publication {
        accepted = Set.copyOf(accepted);
        rejected = Map.copyOf(rejected);
    }
}
