package com.kahula.eventpersister.store;

import com.kahula.eventpersister.event.StoredEvent;
import java.util.Objects;
import java.util.Optional;

/** One item of the events table: the event as stored, and its follow-up's state if a rule matched it. */
public record StoredItem(StoredEvent event, Optional<FollowUpMark> followUp) {

    public StoredItem {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(followUp, "followUp");
    }

    /** The follow-up's status as the table spells it, if the item has one. */
    public Optional<String> followUpStatus() {
        return followUp.map(mark -> mark.status().name());
    }
}
