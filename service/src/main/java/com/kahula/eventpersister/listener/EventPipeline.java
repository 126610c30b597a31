package com.kahula.eventpersister.listener;

import com.kahula.eventpersister.event.EventParser;
import com.kahula.eventpersister.event.ParseResult;
import com.kahula.eventpersister.event.StoredEvent;
import com.kahula.eventpersister.followup.FollowUpFactory;
import com.kahula.eventpersister.followup.FollowUpPublisher;
import com.kahula.eventpersister.followup.FollowUpRule;
import com.kahula.eventpersister.followup.FollowUpRules;
import com.kahula.eventpersister.store.EventStore;
import com.kahula.eventpersister.store.FollowUpMark;
import com.kahula.eventpersister.store.FollowUpOutbox;
import com.kahula.eventpersister.store.SaveResult;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.messaging.Message;

/**
 * Takes the messages of a batch through parse, store and, where one can never succeed, parking; then publishes the
 * batch's pending follow-ups together; their marks are written after, off the acknowledgement's path. Each message ends
 * with one {@link Outcome}, which alone decides whether it is acknowledged: a message left out is redelivered by SQS.
 * A stored event is acknowledged whether or not the bus took its follow-up: the item is the follow-up's outbox.
 */
public final class EventPipeline {

    private static final Logger log = LoggerFactory.getLogger(EventPipeline.class);

    private final EventParser parser;
    private final EventStore store;
    private final DeadLetterParking parking;
    private final FollowUpRules rules;
    private final FollowUpMarks marks;
    private final FollowUpEmission emission;
    private final OutcomeListener listener;
    private final MessageTracing tracing;
    private final Clock clock;

    public EventPipeline(
            EventParser parser,
            EventStore store,
            FollowUpOutbox outbox,
            DeadLetterParking parking,
            FollowUpRules rules,
            FollowUpFactory followUps,
            FollowUpPublisher publisher,
            OutcomeListener listener,
            MessageTracing tracing,
            Clock clock) {
        this.parser = parser;
        this.store = store;
        this.parking = parking;
        this.rules = rules;
        this.marks = new FollowUpMarks(outbox, listener);
        this.emission = new FollowUpEmission(marks, listener, followUps, publisher, clock);
        this.listener = listener;
        this.tracing = tracing;
        this.clock = clock;
    }

    /** Processes the messages concurrently; completes with those to acknowledge, never exceptionally. */
    public CompletableFuture<List<Message<String>>> process(List<Message<String>> batch) {
        listener.received(batch.size());
        long started = System.nanoTime();
        List<MessageTrace> traces = batch.stream().map(this::startTrace).toList();
        List<CompletableFuture<ProcessedMessage>> steps = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            steps.add(processSafely(batch.get(i), traces.get(i)));
        }
        return CompletableFuture.allOf(steps.toArray(CompletableFuture[]::new))
                .thenCompose(stored -> emission.emit(
                        steps.stream().map(CompletableFuture::join).toList()))
                .thenApply(finished -> {
                    List<Message<String>> acknowledge = new ArrayList<>(finished.size());
                    for (ProcessedMessage step : finished) {
                        step.trace().current(() -> hear(step.outcome(), started));
                        step.trace().finish(step.outcome());
                        if (step.outcome().acknowledge()) {
                            acknowledge.add(step.message());
                        }
                    }
                    return acknowledge;
                })
                .exceptionally(error -> {
                    Outcome retry = new Outcome.Retry("unexpected failure finishing its batch", null, error);
                    traces.forEach(trace -> {
                        trace.current(() -> hear(retry, started));
                        trace.finish(retry);
                    });
                    return List.of();
                });
    }

    /**
     * As the service stops, after the listener has finished its messages: waits up to {@code timeout} for the EMITTED
     * marks still being written; true if none is left.
     */
    public boolean finishMarks(Duration timeout) {
        return marks.drain(timeout);
    }

    /** Tells the listener a message's outcome; a listener that fails changes nothing the pipeline decided. */
    private void hear(Outcome outcome, long started) {
        try {
            listener.finished(outcome, started);
        } catch (RuntimeException error) {
            log.error("The outcome listener failed on a message's outcome; the outcome stands", error);
        }
    }

    /** How many follow-ups' marks wait to be written or are being written. */
    public int marksQueued() {
        return marks.unfinished();
    }

    /** The message's span; a tracing failure never stops the message, which then goes untraced. */
    private MessageTrace startTrace(Message<String> message) {
        try {
            return tracing.start(message);
        } catch (RuntimeException error) {
            log.warn("Could not start the span of a message; it is processed untraced", error);
            return MessageTrace.NONE;
        }
    }

    private CompletableFuture<ProcessedMessage> processSafely(Message<String> message, MessageTrace trace) {
        Function<Throwable, ProcessedMessage> unexpected = error -> new ProcessedMessage(
                message, trace, new Outcome.Retry("unexpected failure processing it", null, error), null);
        try {
            return process(message, trace).exceptionally(unexpected);
        } catch (RuntimeException error) {
            return CompletableFuture.completedFuture(unexpected.apply(error));
        }
    }

    private CompletableFuture<ProcessedMessage> process(Message<String> message, MessageTrace trace) {
        return switch (parser.parse(message.getPayload(), clock.instant())) {
            case ParseResult.ParserRejected rejected ->
                park(message, trace, new Outcome.Unparseable(rejected.reason(), rejected.detail()));
            case ParseResult.Parsed parsed ->
                store(
                        message,
                        trace,
                        parsed.event().withTrace(trace.arrivedWith()),
                        RestoreAttribute.firesFollowUps(message)
                                ? rules.firstMatch(parsed.envelope())
                                : Optional.empty());
        };
    }

    private CompletableFuture<ProcessedMessage> store(
            Message<String> message, MessageTrace trace, StoredEvent event, Optional<FollowUpRule> rule) {
        Optional<PendingFollowUp> matched = rule.map(r -> new PendingFollowUp(
                event,
                FollowUpMark.pending(FollowUpFactory.followUpId(event.uniqueId(), r.emit()), r.emit()),
                r.name()));
        return trace.storing(() -> store.save(event, matched.map(PendingFollowUp::mark)))
                .handle((result, error) -> {
                    if (error != null) {
                        return CompletableFuture.completedFuture(new ProcessedMessage(
                                message, trace, new Outcome.Retry("could not store it", event, error), null));
                    }
                    return switch (result.outcome()) {
                        case STORED ->
                            CompletableFuture.completedFuture(new ProcessedMessage(
                                    message, trace, new Outcome.Stored(event), pending(event, result, matched)));
                        case DUPLICATE ->
                            CompletableFuture.completedFuture(new ProcessedMessage(
                                    message, trace, new Outcome.Duplicate(event), pending(event, result, matched)));
                        case CONFLICT -> park(message, trace, new Outcome.Conflict(event, result.storedHash()));
                        case REJECTED -> park(message, trace, new Outcome.StoreRejected(event, result.rejection()));
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

    private CompletableFuture<ProcessedMessage> park(
            Message<String> message, MessageTrace trace, Outcome.Parking parking) {
        return trace.parking(() -> this.parking.park(new ParkedMessage(
                        message.getPayload(),
                        ArrivedAttributes.of(message),
                        parking.parkingReason(),
                        parking.detail(),
                        parking.storedHash())))
                .handle((sent, error) -> error == null
                        ? new ProcessedMessage(message, trace, parking, null)
                        : new ProcessedMessage(
                                message,
                                trace,
                                new Outcome.Retry(
                                        "could not park it (" + parking.parkingReason() + ")",
                                        parking.eventIfParsed().orElse(null),
                                        error),
                                null));
    }
}
