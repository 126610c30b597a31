package com.kahula.eventpersister.toolkit;

import com.kahula.eventpersister.aws.AwsErrors;
import com.kahula.eventpersister.event.StoredEvent;
import com.kahula.eventpersister.followup.FollowUp;
import com.kahula.eventpersister.followup.PublicationListener;
import com.kahula.eventpersister.listener.Outcome;
import com.kahula.eventpersister.listener.OutcomeListener;
import com.kahula.eventpersister.store.FollowUpMark;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * What the sweeper and the publisher report while the followups command sends, counted in place of the service's
 * metrics: the follow-ups on the bus, those sent a second time, and those on the bus whose EMITTED mark failed.
 */
final class SweepTally implements OutcomeListener, PublicationListener {

    private final AtomicLong emitted = new AtomicLong();
    private final AtomicLong sentAgain = new AtomicLong();
    private final AtomicLong notMarked = new AtomicLong();
    private volatile String lastMarkFailure = "";
    private final LongConsumer sentSoFar;

    /** {@code sentSoFar} hears the count of follow-ups on the bus after each, one call at a time. */
    SweepTally(LongConsumer sentSoFar) {
        this.sentSoFar = sentSoFar;
    }

    long emitted() {
        return emitted.get();
    }

    long sentAgain() {
        return sentAgain.get();
    }

    long notMarked() {
        return notMarked.get();
    }

    /** Why the last EMITTED mark failed, or "" if none did. */
    String lastMarkFailure() {
        return lastMarkFailure;
    }

    @Override
    public void emitted(FollowUp followUp) {
        long sent = emitted.incrementAndGet();
        synchronized (sentSoFar) {
            sentSoFar.accept(sent);
        }
    }

    @Override
    public void retried(FollowUp followUp) {}

    @Override
    public void failed(FollowUp followUp) {}

    @Override
    public void received(int size) {}

    @Override
    public void finished(Outcome outcome, long startedNanos) {}

    @Override
    public void notMarked(StoredEvent event, FollowUpMark mark, Throwable cause) {
        notMarked.incrementAndGet();
        lastMarkFailure = AwsErrors.message(cause);
    }

    @Override
    public void busRejectedFollowUp(StoredEvent event, FollowUpMark mark, String busWords) {}

    @Override
    public void notSent(StoredEvent event, FollowUpMark mark, Throwable cause) {
        // the sweep's pass counts what the bus did not take, and the command reports it
    }

    @Override
    public void sentAgain(FollowUpMark mark) {
        sentAgain.incrementAndGet();
    }
}
