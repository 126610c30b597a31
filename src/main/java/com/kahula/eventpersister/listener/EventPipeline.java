package com.kahula.eventpersister.listener;

import com.kahula.eventpersister.event.EventParser;
import com.kahula.eventpersister.event.ParseResult;
import com.kahula.eventpersister.event.StoredEvent;
import com.kahula.eventpersister.followup.FollowUp;
import com.kahula.eventpersister.followup.FollowUpFactory;
import com.kahula.eventpersister.followup.FollowUpPublisher;
import com.kahula.eventpersister.followup.FollowUpRule;
import com.kahula.eventpersister.followup.FollowUpRules;
import com.kahula.eventpersister.store.EventStore;
import com.kahula.eventpersister.store.FollowUpMark;
import com.kahula.eventpersister.store.SaveResult;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.springframework.messaging.Message;

/**
 * Takes the messages of a batch through parse, store and, where one can never succeed, parking; then publishes the
 * batch's pending follow-ups together and records them as emitted. Each message ends with one {@link Outcome}, which
 * alone decides whether it is acknowledged: a message left out is redelivered by SQS.
 */
public final class EventPipeline {

    private final EventParser parser;
    private final EventStore store;
    private final DeadLetterParking parking;
    private final FollowUpRules rules;
    private final FollowUpFactory followUps;
    private final FollowUpPublisher publisher;
    private final OutcomeListener listener;
    private final Clock clock;

    public EventPipeline(
            EventParser parser,
            EventStore store,
            DeadLetterParking parking,
            FollowUpRules rules,
            FollowUpFactory followUps,
            FollowUpPublisher publisher,
            OutcomeListener listener,
            Clock clock) {
        this.parser = parser;
        this.store = store;
        this.parking = parking;
        this.rules = rules;
        this.followUps = followUps;
        this.publisher = publisher;
        this.listener = listener;
        this.clock = clock;
    }

    /** A message and its outcome so far; {@code followUp} is what it still waits for before it is done. */
    private record Step(
            Message<String> message,
            Outcome outcome,
            @Nullable PendingFollowUp followUp) {

        Step finished(Outcome finalOutcome) {
            return new Step(message, finalOutcome, null);
        }
    }

    /**
     * A follow-up the stored item records as PENDING: its id is decided before the write (deterministic), its detail is
     * built only when it is sent. {@code ruleName} is null when no configured rule emits its type any more.
     */
    private record PendingFollowUp(
            StoredEvent cause, FollowUpMark mark, @Nullable String ruleName) {}

    /** Processes the messages concurrently; completes with those to acknowledge, never exceptionally. */
    public CompletableFuture<List<Message<String>>> process(List<Message<String>> batch) {
        listener.received(batch.size());
        long started = System.nanoTime();
        List<CompletableFuture<Step>> steps =
                batch.stream().map(this::processSafely).toList();
        return CompletableFuture.allOf(steps.toArray(CompletableFuture[]::new))
                .thenCompose(stored -> emitFollowUps(
                        steps.stream().map(CompletableFuture::join).toList()))
                .thenApply(finished -> {
                    List<Message<String>> acknowledge = new ArrayList<>(finished.size());
                    for (Step step : finished) {
                        listener.finished(step.outcome(), started);
                        if (step.outcome().acknowledge()) {
                            acknowledge.add(step.message());
                        }
                    }
                    return acknowledge;
                })
                .exceptionally(error -> {
                    batch.forEach(message -> listener.finished(
                            new Outcome.Retry("unexpected failure finishing its batch", null, error), started));
                    return List.of();
                });
    }

    private CompletableFuture<Step> processSafely(Message<String> message) {
        Function<Throwable, Step> unexpected =
                error -> new Step(message, new Outcome.Retry("unexpected failure processing it", null, error), null);
        try {
            return process(message).exceptionally(unexpected);
        } catch (RuntimeException error) {
            return CompletableFuture.completedFuture(unexpected.apply(error));
        }
    }

    private CompletableFuture<Step> process(Message<String> message) {
        return switch (parser.parse(message.getPayload(), clock.instant())) {
            case ParseResult.Rejected rejected ->
                park(
                        message,
                        rejected.reason().code(),
                        rejected.detail(),
                        new Outcome.Parked(rejected.reason(), rejected.detail()));
            case ParseResult.Parsed parsed -> store(message, parsed.event(), rules.firstMatch(parsed.envelope()));
        };
    }

    private CompletableFuture<Step> store(Message<String> message, StoredEvent event, Optional<FollowUpRule> rule) {
        Optional<PendingFollowUp> matched = rule.map(r -> new PendingFollowUp(
                event,
                FollowUpMark.pending(FollowUpFactory.followUpId(event.uniqueId(), r.emit()), r.emit()),
                r.name()));
        return store.save(event, matched.map(PendingFollowUp::mark))
                .handle((result, error) -> {
                    if (error != null) {
                        return CompletableFuture.completedFuture(new Step(
                                message, new Outcome.Retry("could not store it: " + error, event, null), null));
                    }
                    return switch (result.outcome()) {
                        case STORED ->
                            CompletableFuture.completedFuture(
                                    new Step(message, new Outcome.Stored(event), pending(event, result, matched)));
                        case DUPLICATE ->
                            CompletableFuture.completedFuture(
                                    new Step(message, new Outcome.Duplicate(event), pending(event, result, matched)));
                        case CONFLICT -> {
                            Outcome.Conflict conflict = new Outcome.Conflict(event);
                            yield park(message, Outcome.Conflict.REASON, conflict.detail(), conflict);
                        }
                    };
                })
                .thenCompose(Function.identity());
    }

    /** The follow-up the stored item still waits for: the one just stored, or the pending one a redelivery finds. */
    private @Nullable PendingFollowUp pending(StoredEvent event, SaveResult result, Optional<PendingFollowUp> matched) {
        if (!result.followUpPending()) {
            return null;
        }
        FollowUpMark stored = result.followUp().orElseThrow();
        String ruleName = matched.filter(m -> m.mark().id().equals(stored.id()))
                .map(PendingFollowUp::ruleName)
                .or(() -> rules.emitting(stored.type()).map(FollowUpRule::name))
                .orElse(null);
        return new PendingFollowUp(event, stored, ruleName);
    }

    private CompletableFuture<Step> park(Message<String> message, String reason, String detail, Outcome parked) {
        return parking.park(message.getPayload(), reason, detail)
                .handle((sent, error) -> error == null
                        ? new Step(message, parked, null)
                        : new Step(
                                message,
                                new Outcome.Retry(
                                        "could not park it (" + reason + "): " + error,
                                        parked.eventIfParsed().orElse(null),
                                        null),
                                null));
    }

    private CompletableFuture<List<Step>> emitFollowUps(List<Step> steps) {
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
        return publisher.publish(outgoing).thenCompose(accepted -> markEmitted(steps, pending, accepted));
    }

    /** Records each accepted follow-up as EMITTED, once per id; a message is done once its follow-up is recorded. */
    private CompletableFuture<List<Step>> markEmitted(
            List<Step> steps, Map<String, PendingFollowUp> pending, Set<String> accepted) {
        Map<String, CompletableFuture<@Nullable Throwable>> marks = new LinkedHashMap<>();
        Instant emittedAt = clock.instant();
        pending.forEach((id, followUp) -> {
            if (accepted.contains(id)) {
                marks.put(
                        id,
                        store.markFollowUpEmitted(followUp.cause().uniqueId(), id, emittedAt)
                                .handle((marked, error) -> error));
            }
        });
        return CompletableFuture.allOf(marks.values().toArray(CompletableFuture[]::new))
                .thenApply(all -> steps.stream()
                        .map(step -> finish(step, marks.get(followUpId(step))))
                        .toList());
    }

    private static @Nullable String followUpId(Step step) {
        return step.followUp() == null ? null : step.followUp().mark().id();
    }

    private static Step finish(Step step, @Nullable CompletableFuture<@Nullable Throwable> mark) {
        PendingFollowUp followUp = step.followUp();
        if (followUp == null) {
            return step;
        }
        StoredEvent event = followUp.cause();
        if (mark == null) {
            return step.finished(new Outcome.Retry(
                    "its follow-up " + followUp.mark().id() + " was not accepted by the bus; it stays PENDING",
                    event,
                    null));
        }
        Throwable markError = mark.join();
        if (markError != null) {
            return step.finished(new Outcome.Retry(
                    "its follow-up " + followUp.mark().id() + " is on the bus but not yet recorded as emitted: "
                            + markError,
                    event,
                    null));
        }
        return step.finished(step.outcome());
    }
}
