package com.kahula.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** What the chaos soak's faults did, each measured where it was injected. */
record ChaosEffects(
        List<Kill> kills,
        int putItemsWaitingWhileFrozen,
        long putItemTimeoutsWhileFrozen,
        long putEventsEntries,
        long throttledEntries,
        long failedPutEvents,
        long droppedPutEvents,
        long droppedSqsRequests,
        long indexableFollowUps,
        LongOutages longOutages) {

    /** Each fault that did not take effect, named; empty when every one did: only then does the soak mean something. */
    List<String> missing() {
        List<String> missing = new ArrayList<>();
        for (Kill kill : kills) {
            if (kill.inFlightMessages() <= 0) {
                missing.add("the kill aimed at " + kill.aim() + " caught no message in flight");
            }
            switch (kill.aim()) {
                case MID_WRITE -> require(missing, kill.putItemsInFlight() > 0, "no write in flight at a kill");
                case FOLLOW_UPS_IN_FLIGHT ->
                    require(missing, kill.acceptedEntriesHeld() > 0, "no follow-up in flight at a kill");
                case MARKS_QUEUED -> require(missing, kill.marksQueued() > 0, "no mark queued at a kill");
            }
        }
        require(missing, putItemsWaitingWhileFrozen > 0, "no write waited on the frozen DynamoDB");
        require(missing, putItemTimeoutsWhileFrozen > 0, "no write timed out while DynamoDB was frozen");
        require(missing, throttledEntries > 0, "no entry throttled");
        require(missing, failedPutEvents > 0, "no PutEvents answered 500");
        require(missing, droppedPutEvents > 0, "no PutEvents dropped while the bus was down");
        require(missing, droppedSqsRequests > 0, "no SQS request dropped");
        require(missing, indexableFollowUps > 0, "no *ValidatedEvent in the mix");
        missing.addAll(longOutages.missing());
        return missing;
    }

    static void require(List<String> missing, boolean tookEffect, String otherwise) {
        if (!tookEffect) {
            missing.add(otherwise);
        }
    }

    @Override
    public String toString() {
        return ("kills %s; while dynalite was frozen %d writes waited on it and %d timed out; PutEvents entries"
                        + " %d, of them throttled %d; PutEvents requests failed %d, dropped %d; SQS requests dropped"
                        + " %d; IndexableEvent follow-ups expected %d; %s")
                .formatted(
                        kills,
                        putItemsWaitingWhileFrozen,
                        putItemTimeoutsWhileFrozen,
                        putEventsEntries,
                        throttledEntries,
                        failedPutEvents,
                        droppedPutEvents,
                        droppedSqsRequests,
                        indexableFollowUps,
                        longOutages);
    }

    /**
     * A kill as it happened: what the killed process held at its last reading (messages in flight, EMITTED marks
     * queued), the PutItem calls in flight at the gateway when it died, and the accepted follow-up entries whose
     * answers were held for it.
     */
    record Kill(ChaosAim aim, long inFlightMessages, long marksQueued, int putItemsInFlight, long acceptedEntriesHeld) {

        @Override
        public String toString() {
            return "%s: %d messages in flight, %d marks queued, %d PutItem calls in flight, %d accepted entries held"
                    .formatted(aim, inFlightMessages, marksQueued, putItemsInFlight, acceptedEntriesHeld);
        }
    }

    /**
     * The long outages, each {@link ChaosOptions#longOutageSeconds()} long at full scale, as they went: while the bus
     * was down, the events the service stored (their messages acknowledged) and the PutEvents calls it dropped; while
     * DynamoDB was frozen, whether the listener paused, and the receives after it had settled.
     */
    record LongOutages(
            boolean run,
            Duration length,
            long storedWhileTheBusWasDown,
            long putEventsDroppedWhileTheBusWasDown,
            boolean listenerPaused,
            long receivesWhilePaused) {

        static LongOutages skipped() {
            return new LongOutages(false, Duration.ZERO, 0, 0, false, 0);
        }

        /** Each long outage that did not take effect, and any message received while the listener was paused. */
        List<String> missing() {
            List<String> missing = new ArrayList<>();
            if (run) {
                ChaosEffects.require(
                        missing, storedWhileTheBusWasDown > 0, "nothing stored during the long bus outage");
                ChaosEffects.require(
                        missing, putEventsDroppedWhileTheBusWasDown > 0, "no PutEvents dropped in the long bus outage");
                ChaosEffects.require(missing, listenerPaused, "the listener did not pause while DynamoDB was frozen");
                ChaosEffects.require(
                        missing,
                        receivesWhilePaused == 0,
                        receivesWhilePaused + " messages received while the listener was paused");
            }
            return missing;
        }

        @Override
        public String toString() {
            return run
                    ? ("long outages of %d s: bus down, %d events stored, %d PutEvents dropped; DynamoDB frozen, the"
                                    + " listener %s, %d messages received while paused")
                            .formatted(
                                    length.toSeconds(),
                                    storedWhileTheBusWasDown,
                                    putEventsDroppedWhileTheBusWasDown,
                                    listenerPaused ? "paused" : "NOT paused",
                                    receivesWhilePaused)
                    : "no long outages";
        }
    }
}
