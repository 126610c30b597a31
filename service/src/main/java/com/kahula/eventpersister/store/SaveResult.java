package com.kahula.eventpersister.store;

import java.util.Objects;
import java.util.Optional;

/**
 * What saving an event did, the follow-up state of the stored item (absent when it causes no follow-up), for a
 * rejected event the store's reason in one line, and for a conflict the payload hash of the row already stored (each
 * empty otherwise).
 */
public record SaveResult(SaveOutcome outcome, Optional<FollowUpMark> followUp, String rejection, String storedHash) {

    public SaveResult {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(followUp, "followUp");
        Objects.requireNonNull(rejection, "rejection");
        Objects.requireNonNull(storedHash, "storedHash");
        if ((outcome == SaveOutcome.REJECTED) == rejection.isBlank()) {
            throw new IllegalArgumentException("a rejection, and only a rejection, says why");
        }
        if ((outcome == SaveOutcome.CONFLICT) == storedHash.isBlank()) {
            throw new IllegalArgumentException("a conflict, and only a conflict, names the stored row's hash");
        }
    }

    public SaveResult(SaveOutcome outcome, Optional<FollowUpMark> followUp) {
        this(outcome, followUp, "", "");
    }

    /** Another event is stored under the unique id, with {@code storedHash}. */
    public static SaveResult conflict(String storedHash) {
        return new SaveResult(SaveOutcome.CONFLICT, Optional.empty(), "", storedHash);
    }

    /** The store refuses the event for {@code why}. */
    public static SaveResult rejected(String why) {
        return new SaveResult(SaveOutcome.REJECTED, Optional.empty(), why.isBlank() ? "(no reason given)" : why, "");
    }

    /** Whether the stored item's follow-up still has to be published. */
    public boolean followUpPending() {
        return (outcome == SaveOutcome.STORED || outcome == SaveOutcome.DUPLICATE)
                && followUp.filter(FollowUpMark::isPending).isPresent();
    }
}
