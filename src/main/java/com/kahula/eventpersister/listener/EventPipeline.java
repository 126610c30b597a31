package com.kahula.eventpersister.listener;

import com.kahula.eventpersister.event.EventParser;
import com.kahula.eventpersister.event.ParseResult;
import com.kahula.eventpersister.event.Rejection;
import com.kahula.eventpersister.event.StoredEvent;
import com.kahula.eventpersister.followup.FollowUp;
import com.kahula.eventpersister.followup.FollowUpFactory;
import com.kahula.eventpersister.followup.FollowUpPublisher;
import com.kahula.eventpersister.followup.FollowUpRule;
import com.kahula.eventpersister.followup.FollowUpRules;
import com.kahula.eventpersister.observability.PersisterMetrics;
import com.kahula.eventpersister.store.EventStore;
import com.kahula.eventpersister.store.FollowUpMark;
import com.kahula.eventpersister.store.SaveResult;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.messaging.Message;

/**
 * Takes the messages of a batch through parse, store and, where it can never succeed, parking; then publishes the
 * batch's pending follow-ups together and records them as emitted. Tells which messages are done and may be
 * acknowledged: a message left out is redelivered by SQS.
 */
public final class EventPipeline {

    private static final Logger log = LoggerFactory.getLogger(EventPipeline.class);

    private final EventParser parser;
    private final EventStore store;
    private final DeadLetterParking parking;
    private final FollowUpRules rules;
    private final FollowUpFactory followUps;
    private final FollowUpPublisher publisher;
    private final PersisterMetrics metrics;
    private final Clock clock;

    public EventPipeline(
            EventParser parser,
            EventStore store,
            DeadLetterParking parking,
            FollowUpRules rules,
            FollowUpFactory followUps,
            FollowUpPublisher publisher,
            PersisterMetrics metrics,
            Clock clock) {
        this.parser = parser;
        this.store = store;
        this.parking = parking;
        this.rules = rules;
        this.followUps = followUps;
        this.publisher = publisher;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Where a message stands after storing: done, to be redelivered, or done once its follow-up is emitted. */
    private record Step(boolean done, FollowUp followUp) {
        static final Step DONE = new Step(true, null);
        static final Step NOT_DONE = new Step(false, null);

        static Step done(boolean done) {
            return done ? DONE : NOT_DONE;
        }
    }

    /** Processes the messages concurrently; completes with those that are done, never exceptionally. */
    public CompletableFuture<List<Message<String>>> process(List<Message<String>> batch) {
        metrics.batch(batch.size());
        long started = metrics.startProcessing();
        List<CompletableFuture<Step>> steps = new ArrayList<>(batch.size());
        for (Message<String> message : batch) {
            steps.add(processSafely(message.getPayload()));
        }
        return CompletableFuture.allOf(steps.toArray(CompletableFuture[]::new))
                .thenCompose(stored -> emitFollowUps(
                        steps.stream().map(CompletableFuture::join).toList()))
                .thenApply(done -> {
                    // The messages of a batch finish together: their follow-ups go out in the same calls.
                    batch.forEach(message -> metrics.processed(started));
                    List<Message<String>> acknowledge = new ArrayList<>(batch.size());
                    for (int i = 0; i < batch.size(); i++) {
                        if (done.get(i)) {
                            acknowledge.add(batch.get(i));
                        }
                    }
                    return acknowledge;
                })
                .exceptionally(error -> {
                    log.error("Unexpected failure finishing a batch: left for redelivery", error);
                    return List.of();
                });
    }

    private CompletableFuture<List<Boolean>> emitFollowUps(List<Step> steps) {
        // Two copies of one event in a batch (SQS redelivers, producers resend) share one follow-up: sent once.
        List<FollowUp> pending = steps.stream()
                .filter(step -> step.followUp() != null)
                .map(Step::followUp)
                .collect(Collectors.toMap(
                        FollowUp::id, followUp -> followUp, (first, copy) -> first, LinkedHashMap::new))
                .values()
                .stream()
                .toList();
        if (pending.isEmpty()) {
            return CompletableFuture.completedFuture(
                    steps.stream().map(Step::done).toList());
        }
        return publisher.publish(pending).thenCompose(accepted -> markEmitted(steps, accepted));
    }

    private CompletableFuture<List<Boolean>> markEmitted(List<Step> steps, Set<String> accepted) {
        List<CompletableFuture<Boolean>> done = new ArrayList<>(steps.size());
        Map<String, CompletableFuture<Boolean>> marks = new HashMap<>();
        for (Step step : steps) {
            FollowUp followUp = step.followUp();
            if (followUp == null) {
                done.add(CompletableFuture.completedFuture(step.done()));
            } else if (!accepted.contains(followUp.id())) {
                done.add(CompletableFuture.completedFuture(false));
            } else {
                done.add(marks.computeIfAbsent(followUp.id(), id -> markEmitted(followUp)));
            }
        }
        return CompletableFuture.allOf(done.toArray(CompletableFuture[]::new))
                .thenApply(all -> done.stream().map(CompletableFuture::join).toList());
    }

    private CompletableFuture<Boolean> markEmitted(FollowUp followUp) {
        return store.markFollowUpEmitted(followUp.causationId(), followUp.id(), clock.instant())
                .handle((marked, error) -> {
                    if (error != null) {
                        log.warn(
                                "Follow-up {} of unique_id={} is on the bus but not yet recorded as emitted:"
                                        + " left for redelivery ({})",
                                followUp.id(),
                                followUp.causationId(),
                                error.toString());
                    }
                    return error == null;
                });
    }

    private CompletableFuture<Step> processSafely(String body) {
        try {
            return process(body).exceptionally(this::unexpected);
        } catch (RuntimeException error) {
            return CompletableFuture.completedFuture(unexpected(error));
        }
    }

    private CompletableFuture<Step> process(String body) {
        return switch (parser.parse(body, clock.instant())) {
            case ParseResult.Rejected rejected ->
                park(body, rejected.reason(), rejected.detail(), null).thenApply(Step::done);
            case ParseResult.Parsed parsed -> store(body, parsed.event(), rules.firstMatch(parsed.envelope()));
        };
    }

    private CompletableFuture<Step> store(String body, StoredEvent event, Optional<FollowUpRule> rule) {
        Optional<FollowUp> followUp =
                rule.map(matched -> followUps.create(event, matched.emit(), matched.name(), clock.instant()));
        Optional<FollowUpMark> mark = followUp.map(f -> FollowUpMark.pending(f.id(), f.type()));
        return store.save(event, mark)
                .handle((result, error) -> {
                    if (error != null) {
                        metrics.failed();
                        EventLogContext.about(
                                event,
                                () -> log.warn(
                                        "Could not store event aws_id={} unique_id={}: left for redelivery ({})",
                                        event.awsId(),
                                        event.uniqueId(),
                                        error.toString()));
                        return CompletableFuture.completedFuture(Step.NOT_DONE);
                    }
                    return switch (result.outcome()) {
                        case STORED -> {
                            metrics.stored(event.timestamp(), clock.instant());
                            yield CompletableFuture.completedFuture(followUpStep(event, result, followUp));
                        }
                        case DUPLICATE -> {
                            metrics.duplicate();
                            yield CompletableFuture.completedFuture(followUpStep(event, result, followUp));
                        }
                        case CONFLICT ->
                            park(
                                            body,
                                            Rejection.CONFLICT,
                                            "unique_id " + event.uniqueId()
                                                    + " is already stored with another payload_hash (this one: "
                                                    + event.payloadHash() + ")",
                                            event)
                                    .thenApply(Step::done);
                    };
                })
                .thenCompose(step -> step);
    }

    /** The follow-up still to publish for this item: the one just stored, or the pending one a redelivery finds. */
    private Step followUpStep(StoredEvent event, SaveResult result, Optional<FollowUp> matched) {
        if (!result.followUpPending()) {
            return Step.DONE;
        }
        FollowUpMark stored = result.followUp().orElseThrow();
        FollowUp followUp = matched.filter(f -> f.id().equals(stored.id()))
                .orElseGet(
                        () -> followUps.create(event, stored.type(), "(pending on the stored item)", clock.instant()));
        return new Step(false, followUp);
    }

    private CompletableFuture<Boolean> park(String body, Rejection reason, String detail, StoredEvent event) {
        return parking.park(body, reason, detail).handle((sent, error) -> {
            if (error != null) {
                metrics.failed();
                log.error("Could not park a message ({}): left for redelivery ({})", reason.code(), error.toString());
                return false;
            }
            if (reason == Rejection.CONFLICT) {
                metrics.conflict();
            } else {
                metrics.parked(reason);
            }
            EventLogContext.about(
                    event,
                    () -> log.warn(
                            "Parked a message in the dead-letter queue: {} ({}){}",
                            reason.code(),
                            detail,
                            event == null ? "" : " aws_id=" + event.awsId() + " unique_id=" + event.uniqueId()));
            return true;
        });
    }

    private Step unexpected(Throwable error) {
        metrics.failed();
        log.error("Unexpected failure processing a message: left for redelivery", error);
        return Step.NOT_DONE;
    }
}
