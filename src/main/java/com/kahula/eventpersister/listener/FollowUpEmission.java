package com.kahula.eventpersister.listener;

import com.kahula.eventpersister.event.StoredEvent;
import com.kahula.eventpersister.followup.FollowUp;
import com.kahula.eventpersister.followup.FollowUpFactory;
import com.kahula.eventpersister.followup.FollowUpPublisher;
import com.kahula.eventpersister.followup.Publication;
import com.kahula.eventpersister.store.EventStore;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * The follow-up phase of a batch: publishes the pending follow-ups together, records the accepted ones as EMITTED,
 * and finishes each message by whether its follow-up made it.
 */
final class FollowUpEmission {

    private final EventStore store;
    private final FollowUpFactory followUps;
    private final FollowUpPublisher publisher;
    private final Clock clock;

    FollowUpEmission(EventStore store, FollowUpFactory followUps, FollowUpPublisher publisher, Clock clock) {
        this.store = store;
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
        return publisher.publish(outgoing).thenCompose(publication -> markEmitted(steps, pending, publication));
    }

    /**
     * Records each accepted follow-up as EMITTED, once per id; a message is done once its follow-up is recorded, or is
     * to be parked when the bus refused its follow-up's content.
     */
    private CompletableFuture<List<Step>> markEmitted(
            List<Step> steps, Map<String, PendingFollowUp> pending, Publication publication) {
        Map<String, CompletableFuture<@Nullable Throwable>> marks = new LinkedHashMap<>();
        Instant emittedAt = clock.instant();
        pending.forEach((id, followUp) -> {
            if (publication.accepted().contains(id)) {
                marks.put(
                        id,
                        store.markFollowUpEmitted(followUp.cause().uniqueId(), id, emittedAt)
                                .handle((marked, error) -> error));
            }
        });
        return CompletableFuture.allOf(marks.values().toArray(CompletableFuture[]::new))
                .thenApply(all -> steps.stream()
                        .map(step -> finish(step, marks.get(followUpId(step)), publication))
                        .toList());
    }

    private static @Nullable String followUpId(Step step) {
        return step.followUp() == null ? null : step.followUp().mark().id();
    }

    private static Step finish(
            Step step, @Nullable CompletableFuture<@Nullable Throwable> mark, Publication publication) {
        PendingFollowUp followUp = step.followUp();
        if (followUp == null) {
            return step;
        }
        StoredEvent event = followUp.cause();
        String refusal = publication.rejected().get(followUp.mark().id());
        if (refusal != null) {
            return step.finished(new Outcome.FollowUpRejected(event, refusal));
        }
        if (mark == null) {
            return step.finished(new Outcome.Retry(
                    "its follow-up " + followUp.mark().id() + " ("
                            + followUp.mark().type() + ") was not accepted by the bus; it stays PENDING",
                    event,
                    publication.pending().get(followUp.mark().id())));
        }
        Throwable markError = mark.join();
        if (markError != null) {
            return step.finished(new Outcome.Retry(
                    "its follow-up " + followUp.mark().id() + " is on the bus but not yet recorded as emitted",
                    event,
                    markError));
        }
        return step.finished(step.outcome());
    }
}
