package com.kahula.eventpersister.store;

import java.util.Objects;

/** The follow-up state kept on a stored item: which follow-up the event causes, and whether it is on the bus yet. */
public record FollowUpMark(String id, String type, Status status) {

    /** PENDING until PutEvents accepted the follow-up, then EMITTED; REJECTED if the bus refused its content. */
    public enum Status {
        PENDING,
        EMITTED,
        REJECTED
    }

    public FollowUpMark {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(status, "status");
    }

    public static FollowUpMark pending(String id, String type) {
        return new FollowUpMark(id, type, Status.PENDING);
    }

    public boolean isPending() {
        return status == Status.PENDING;
    }
}
