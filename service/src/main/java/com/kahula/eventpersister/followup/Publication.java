package com.kahula.eventpersister.followup;

import java.util.Map;
import java.util.Set;

/**
 * What publishing follow-ups came to: the ids the bus accepted; those it refused for their content (id to the bus's
 * reason), which no retry can mend; and those not published this time (id to the failure that kept them), which stay
 * PENDING for a redelivery to send again.
 */
public record Publication(Set<String> accepted, Map<String, String> busRejected, Map<String, Throwable> pending) {

    public Publication {
        accepted = Set.copyOf(accepted);
        busRejected = Map.copyOf(busRejected);
        pending = Map.copyOf(pending);
    }
}
