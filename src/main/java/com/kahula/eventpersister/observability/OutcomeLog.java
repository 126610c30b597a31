package com.kahula.eventpersister.observability;

import com.kahula.eventpersister.event.StoredEvent;
import com.kahula.eventpersister.listener.Outcome;
import com.kahula.eventpersister.listener.OutcomeListener;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts and logs what became of each message: parked (by reason) and left for redelivery (failed), the processing
 * time of every message, the size of every poll. What the store decided is counted by {@link MeteredEventStore}. Each
 * line about an event carries its ids, in the text and in the logging context (aws_id, unique_id, saga_id).
 */
public final class OutcomeLog implements OutcomeListener {

    private static final Logger log = LoggerFactory.getLogger(OutcomeLog.class);

    private final PersisterMetrics metrics;

    public OutcomeLog(PersisterMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void received(int size) {
        metrics.batch(size);
    }

    @Override
    public void finished(Outcome outcome, long startedNanos) {
        metrics.processed(startedNanos);
        switch (outcome) {
            case Outcome.Stored stored -> {}
            case Outcome.Duplicate duplicate -> {}
            case Outcome.Conflict conflict ->
                EventLogContext.about(
                        conflict.event(),
                        () -> log.warn(
                                "Parked a message in the dead-letter queue: {} ({}){}",
                                Outcome.Conflict.REASON,
                                conflict.detail(),
                                ids(conflict.event())));
            case Outcome.Parked parked -> {
                metrics.parked(parked.reason());
                log.warn(
                        "Parked a message in the dead-letter queue: {} ({})",
                        parked.reason().code(),
                        parked.detail());
            }
            case Outcome.Retry retry -> {
                metrics.failed();
                StoredEvent event = retry.parsed();
                EventLogContext.about(event, () -> {
                    if (retry.error() == null) {
                        log.warn("Left a message for redelivery: {}{}", retry.why(), ids(event));
                    } else {
                        log.error("Left a message for redelivery: {}{}", retry.why(), ids(event), retry.error());
                    }
                });
            }
        }
    }

    private static String ids(@Nullable StoredEvent event) {
        return event == null ? "" : " aws_id=" + event.awsId() + " unique_id=" + event.uniqueId();
    }
}
