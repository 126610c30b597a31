package com.kahula.eventpersister.listener;

import com.kahula.eventpersister.followup.FollowUp;
import com.kahula.eventpersister.followup.FollowUpFactory;
import com.kahula.eventpersister.followup.FollowUpPublisher;
import com.kahula.eventpersister.followup.Publication;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The follow-up phase of a batch, its fast path: publishes the batch's pending follow-ups together and has what became
 * of them recorded in the background; what the bus did not take waits in the outbox for the sweeper.
 */
final class FollowUpEmission {

    private final FollowUpMarks marks;
    private final OutcomeListener listener;
    private final FollowUpFactory followUps;
    private final FollowUpPublisher publisher;
    private final Clock clock;

    FollowUpEmission(
            FollowUpMarks marks,
            OutcomeListener listener,
            FollowUpFactory followUps,
            FollowUpPublisher publisher,
            Clock clock) {
        this.marks = marks;
        this.listener = listener;
        this.followUps = followUps;
        this.publisher = publisher;
        this.clock = clock;
    }

    /** Publishes the batch's pending follow-ups and records them; completes with every step finished, never failing. */
    CompletableFuture<List<ProcessedMessage>> emit(List<ProcessedMessage> steps) {
        // Two copies of one event in a batch (SQS redelivers, producers resend) share one follow-up: sent once.
        Map<String, PendingFollowUp> pending = new LinkedHashMap<>();
        Map<String, FollowUpSend> sends = new LinkedHashMap<>();
        List<FollowUp> outgoing = new ArrayList<>();
        Instant now = clock.instant();
        try {
            for (ProcessedMessage step : steps) {
                PendingFollowUp p = step.followUp();
                if (p != null && pending.putIfAbsent(p.mark().id(), p) == null) {
                    FollowUp followUp = followUps.create(p.cause(), p.mark().type(), p.ruleName(), now);
                    FollowUpSend send = step.trace().sending(p.mark().type());
                    sends.put(p.mark().id(), send);
                    outgoing.add(followUp.withTraceHeader(send.traceHeader()));
                }
            }
        } catch (RuntimeException error) {
            sends.values().forEach(send -> send.end("not-sent", error));
            throw error;
        }
        if (outgoing.isEmpty()) {
            return CompletableFuture.completedFuture(steps);
        }
        return publisher
                .publish(outgoing)
                .whenComplete((publication, error) -> {
                    if (error != null) {
                        sends.values().forEach(send -> send.end("not-sent", error));
                    } else {
                        sends.forEach((id, send) -> end(send, id, publication));
                    }
                })
                .thenApply(publication -> finish(steps, pending, publication));
    }

    /** Ends the span of sending follow-up {@code id} with what the bus did with it. */
    static void end(FollowUpSend send, String id, Publication publication) {
        if (publication.accepted().contains(id)) {
            send.end("accepted", null);
        } else if (publication.busRejected().containsKey(id)) {
            send.end("rejected", null);
        } else {
            send.end("not-sent", publication.pending().get(id));
        }
    }

    /**
     * Has the follow-ups the bus accepted marked EMITTED and those it refused for their content marked REJECTED, in the
     * background; those not published this time stay PENDING in the outbox for the sweeper. Every message is finished
     * with the outcome its store gave it: a stored event no longer waits for its follow-up.
     */
    private List<ProcessedMessage> finish(
            List<ProcessedMessage> steps, Map<String, PendingFollowUp> pending, Publication publication) {
        Instant at = clock.instant();
        pending.forEach((id, followUp) -> {
            String refusal = publication.busRejected().get(id);
            Throwable notSent = publication.pending().get(id);
            if (publication.accepted().contains(id)) {
                marks.emitted(followUp, at);
            } else if (refusal != null) {
                marks.busRejected(followUp, at, refusal);
            } else if (notSent != null) {
                listener.notSent(followUp.cause(), followUp.mark(), notSent);
            }
        });
        return steps.stream().map(step -> step.finished(step.outcome())).toList();
    }
}
