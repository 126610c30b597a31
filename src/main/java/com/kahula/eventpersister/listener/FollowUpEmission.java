package com.kahula.eventpersister.listener;

import com.kahula.eventpersister.event.StoredEvent;
import com.kahula.eventpersister.followup.FollowUp;
import com.kahula.eventpersister.followup.FollowUpFactory;
import com.kahula.eventpersister.followup.FollowUpPublisher;
import com.kahula.eventpersister.followup.Publication;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The follow-up phase of a batch: publishes the pending follow-ups together, finishes each message by whether its
 * follow-up made it onto the bus, and has the accepted ones recorded as EMITTED in the background.
 */
final class FollowUpEmission {

    private final EmittedMarks marks;
    private final FollowUpFactory followUps;
    private final FollowUpPublisher publisher;
    private final Clock clock;

    FollowUpEmission(EmittedMarks marks, FollowUpFactory followUps, FollowUpPublisher publisher, Clock clock) {
        this.marks = marks;
        this.followUps = followUps;
        this.publisher = publisher;
        this.clock = clock;
    }

    /** Publishes the batch's pending follow-ups and records them; completes with every step finished, never failing. */
    CompletableFuture<List<Step>> emit(List<Step> steps) {
        // Two copies of one event in a batch (SQS redelivers, producers resend) share one follow-up: sent once.
        Map<String, PendingFollowUp> pending = new LinkedHashMap<>();
        for (Step step : steps) {
            if (step.followUp() != null) {
                pending.putIfAbsent(step.followUp().mark().id(), step.followUp());
            }
        }
        if (pending.isEmpty()) {
            return CompletableFuture.completedFuture(steps);
        }
        Instant now = clock.instant();
        List<FollowUp> outgoing = pending.values().stream()
                .map(p -> followUps.create(p.cause(), p.mark().type(), p.ruleName(), now))
                .toList();
        return publisher.publish(outgoing).thenApply(publication -> finish(steps, pending, publication));
    }

    /**
     * Finishes each message by what became of its follow-up: accepted (and its EMITTED mark started in the
     * background), refused for its content (to be parked), or not published this time (left for redelivery).
     */
    private List<Step> finish(List<Step> steps, Map<String, PendingFollowUp> pending, Publication publication) {
        Instant emittedAt = clock.instant();
        pending.forEach((id, followUp) -> {
            if (publication.accepted().contains(id)) {
                marks.record(followUp, emittedAt);
            }
        });
        return steps.stream().map(step -> finish(step, publication)).toList();
    }

    private static Step finish(Step step, Publication publication) {
        PendingFollowUp followUp = step.followUp();
        if (followUp == null || publication.accepted().contains(followUp.mark().id())) {
            return step.finished(step.outcome());
        }
        StoredEvent event = followUp.cause();
        String refusal = publication.rejected().get(followUp.mark().id());
        if (refusal != null) {
            return step.finished(new Outcome.FollowUpRejected(event, refusal));
        }
        return step.finished(new Outcome.Retry(
                "its follow-up " + followUp.mark().id() + " (" + followUp.mark().type()
                        + ") was not accepted by the bus; it stays PENDING",
                event,
                publication.pending().get(followUp.mark().id())));
    }
}
