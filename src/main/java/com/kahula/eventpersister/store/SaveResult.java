package com.kahula.eventpersister.store;

import java.util.Objects;
import java.util.Optional;

/** What saving an event did, and the follow-up state of the stored item (absent when it causes no follow-up). */
public record SaveResult(SaveOutcome outcome, Optional<FollowUpMark> followUp) {

    public SaveResult {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(followUp, "followUp");
    }

    /** Whether the stored item's follow-up still has to be published. */
    public boolean followUpPending() {
        return outcome != SaveOutcome.CONFLICT
                && followUp.filter(FollowUpMark::isPending).isPresent();
    }
}
