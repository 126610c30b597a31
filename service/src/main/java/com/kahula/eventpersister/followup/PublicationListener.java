package com.kahula.eventpersister.followup;

/** Hears what becomes of each follow-up a publisher sends, for metrics; publishing never depends on it. */
public interface PublicationListener {

    /** The bus accepted it. */
    void emitted(FollowUp followUp);

    /** It is sent again after a throttled entry, a 5xx or a timeout. */
    void retried(FollowUp followUp);

    /** Given up on for now: it stays PENDING and its message is redelivered. */
    void failed(FollowUp followUp);
}
