package com.kahula.eventpersister.listener;

import com.kahula.eventpersister.event.EventParser;
import com.kahula.eventpersister.event.ParseResult;
import com.kahula.eventpersister.event.Rejection;
import com.kahula.eventpersister.event.StoredEvent;
import com.kahula.eventpersister.observability.PersisterMetrics;
import com.kahula.eventpersister.store.EventStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.messaging.Message;

/**
 * Takes each message of a batch through parse, store and, where it can never succeed, parking; tells which messages
 * are done and may be acknowledged. A message left out is redelivered by SQS.
 */
public final class EventPipeline {

    private static final Logger log = LoggerFactory.getLogger(EventPipeline.class);

    private final EventParser parser;
    private final EventStore store;
    private final DeadLetterParking parking;
    private final PersisterMetrics metrics;
    private final Clock clock;

    public EventPipeline(
            EventParser parser, EventStore store, DeadLetterParking parking, PersisterMetrics metrics, Clock clock) {
        this.parser = parser;
        this.store = store;
        this.parking = parking;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Processes the messages concurrently; completes with those that are done, never exceptionally. */
    public CompletableFuture<List<Message<String>>> process(List<Message<String>> batch) {
        metrics.batch(batch.size());
        List<CompletableFuture<Boolean>> results = new ArrayList<>(batch.size());
        for (Message<String> message : batch) {
            results.add(processSafely(message.getPayload()));
        }
        return CompletableFuture.allOf(results.toArray(CompletableFuture[]::new))
                .thenApply(all -> {
                    List<Message<String>> done = new ArrayList<>(batch.size());
                    for (int i = 0; i < batch.size(); i++) {
                        if (results.get(i).join()) {
                            done.add(batch.get(i));
                        }
                    }
                    return done;
                });
    }

    private CompletableFuture<Boolean> processSafely(String body) {
        try {
            return process(body).exceptionally(error -> unexpected(error));
        } catch (RuntimeException error) {
            return CompletableFuture.completedFuture(unexpected(error));
        }
    }

    private CompletableFuture<Boolean> process(String body) {
        return switch (parser.parse(body, clock.instant())) {
            case ParseResult.Rejected rejected -> park(body, rejected.reason(), rejected.detail(), null);
            case ParseResult.Parsed parsed -> store(body, parsed.event());
        };
    }

    private CompletableFuture<Boolean> store(String body, StoredEvent event) {
        return store.save(event)
                .handle((outcome, error) -> {
                    if (error != null) {
                        metrics.failed();
                        log.warn(
                                "Could not store event aws_id={} unique_id={}: left for redelivery ({})",
                                event.awsId(),
                                event.uniqueId(),
                                error.toString());
                        return CompletableFuture.completedFuture(false);
                    }
                    return switch (outcome) {
                        case STORED -> done(metrics::stored);
                        case DUPLICATE -> done(metrics::duplicate);
                        case CONFLICT ->
                            park(
                                    body,
                                    Rejection.CONFLICT,
                                    "unique_id " + event.uniqueId()
                                            + " is already stored with another payload_hash (this one: "
                                            + event.payloadHash() + ")",
                                    event);
                    };
                })
                .thenCompose(result -> result);
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
            log.warn(
                    "Parked a message in the dead-letter queue: {} ({}){}",
                    reason.code(),
                    detail,
                    event == null ? "" : " aws_id=" + event.awsId() + " unique_id=" + event.uniqueId());
            return true;
        });
    }

    private static CompletableFuture<Boolean> done(Runnable count) {
        count.run();
        return CompletableFuture.completedFuture(true);
    }

    private boolean unexpected(Throwable error) {
        metrics.failed();
        log.error("Unexpected failure processing a message: left for redelivery", error);
        return false;
    }
}
