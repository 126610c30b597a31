package com.kahula.eventpersister.observability;

import com.kahula.eventpersister.aws.AwsErrors;
import com.kahula.eventpersister.event.StoredEvent;
import com.kahula.eventpersister.listener.Outcome;
import com.kahula.eventpersister.listener.OutcomeListener;
import com.kahula.eventpersister.store.FollowUpMark;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Counts and logs what became of each message: parked (by reason) and left for redelivery (failed), the processing
 * time of every message, the size of every poll. What the store decided is counted by {@link MeteredEventStore}. Each
 * line about an event carries its ids, in the text (bounded) and in the logging context (aws_id, unique_id, saga_id);
 * an AWS failure that is the service's fault turns readiness DOWN and is logged once a minute, not once a message; an
 * unexpected (non-AWS) error leaves readiness alone and is logged each time.
 */
public final class OutcomeLogAndReadiness implements OutcomeListener {

    private static final Logger log = LoggerFactory.getLogger(OutcomeLogAndReadiness.class);

    private final PersisterMetrics metrics;
    private final AwsAccessHealthIndicator awsAccess;

    public OutcomeLogAndReadiness(PersisterMetrics metrics, AwsAccessHealthIndicator awsAccess) {
        this.metrics = metrics;
        this.awsAccess = awsAccess;
    }

    @Override
    public void received(int size) {
        metrics.batch(size);
    }

    @Override
    public void finished(Outcome outcome, long startedNanos) {
        metrics.processed(startedNanos);
        if (outcome instanceof Outcome.OfEvent) {
            awsAccess.storeAnswered();
        }
        switch (outcome) {
            case Outcome.Stored stored -> {}
            case Outcome.Duplicate duplicate -> {}
            case Outcome.Parking parking -> parked(parking);
            case Outcome.Retry retry -> {
                metrics.failed();
                EventLogContext.about(retry.parsed(), () -> leftForRedelivery(retry));
            }
        }
    }

    @Override
    public void notMarked(StoredEvent event, FollowUpMark mark, Throwable cause) {
        metrics.unmarked(mark.type());
        EventLogContext.about(event, () -> leftPending(event, mark, cause));
    }

    @Override
    public void busRejectedFollowUp(StoredEvent event, FollowUpMark mark, String busWords) {
        metrics.busRejectedFollowUp(mark.type());
        EventLogContext.about(
                event,
                () -> log.warn(
                        "The bus refused follow-up {} ({}) for its content; the item records it as REJECTED ({}){}",
                        mark.id(),
                        mark.type(),
                        LogValues.bounded(busWords),
                        ids(event)));
    }

    /**
     * A failure that is the service's fault turns readiness DOWN and is logged at most once a minute; an unexpected
     * error is logged each time; an outage or throttling is counted by the publisher ({@code failed}) and logged by
     * nobody here, as it would be one line per event.
     */
    @Override
    public void notSent(StoredEvent event, FollowUpMark mark, Throwable cause) {
        String why = "follow-up " + mark.id() + " (" + mark.type() + ") was not sent; the item stays PENDING and the"
                + " sweeper sends it after its grace period";
        if (!(AwsErrors.unwrap(cause) instanceof SdkException)) {
            EventLogContext.about(event, () -> log.error("{} (unexpected){}", why, ids(event), cause));
        } else if (AwsErrors.classify(cause) == AwsErrors.Kind.ABOUT_THE_SERVICE && awsAccess.report(cause)) {
            log.error(
                    "The service cannot do its work, readiness is DOWN: {} ({}); logged at most once a minute",
                    why,
                    LogValues.bounded(AwsErrors.message(cause)));
        }
    }

    @Override
    public void sentAgain(FollowUpMark mark) {
        metrics.sentAgain(mark.type());
    }

    private void leftPending(StoredEvent event, FollowUpMark mark, Throwable cause) {
        String why = "follow-up " + mark.id() + " (" + mark.type() + ") was published, but its mark could not be"
                + " written; the item stays PENDING and the sweeper sends it again";
        if (!(AwsErrors.unwrap(cause) instanceof SdkException)) {
            log.error("{} (unexpected){}", why, ids(event), cause);
        } else if (AwsErrors.classify(cause) == AwsErrors.Kind.ABOUT_THE_SERVICE && awsAccess.report(cause)) {
            log.error(
                    "The service cannot do its work, readiness is DOWN: {} ({}); logged at most once a minute",
                    why,
                    LogValues.bounded(AwsErrors.message(cause)));
        } else if (AwsErrors.classify(cause) != AwsErrors.Kind.ABOUT_THE_SERVICE) {
            log.warn("{} ({}){}", why, LogValues.bounded(AwsErrors.message(cause)), ids(event));
        }
    }

    private void parked(Outcome.Parking parking) {
        // a conflict counts as its own outcome, when the store decides it (MeteredEventStore)
        if (!(parking instanceof Outcome.Conflict)) {
            metrics.parked(parking.parkingReason());
        }
        StoredEvent event = parking.eventIfParsed().orElse(null);
        EventLogContext.about(
                event,
                () -> log.warn(
                        "Parked a message in the dead-letter queue: {} ({}){}",
                        parking.parkingReason(),
                        LogValues.bounded(parking.detail()),
                        ids(event)));
    }

    private void leftForRedelivery(Outcome.Retry retry) {
        Throwable cause = retry.cause();
        String ids = ids(retry.parsed());
        if (cause == null) {
            log.warn("Left a message for redelivery: {}{}", retry.why(), ids);
        } else if (AwsErrors.unwrap(cause) instanceof CallNotPermittedException) {
            // the store's circuit opened while the message was in flight: logged once, as the listener pauses
            log.debug("Left a message for redelivery: {} (the store's circuit is open){}", retry.why(), ids);
        } else if (!(AwsErrors.unwrap(cause) instanceof SdkException)) {
            log.error("Left a message for redelivery: {} (unexpected){}", retry.why(), ids, cause);
        } else if (AwsErrors.classify(cause) == AwsErrors.Kind.TRANSIENT) {
            log.warn(
                    "Left a message for redelivery: {} ({}){}",
                    retry.why(),
                    LogValues.bounded(AwsErrors.message(cause)),
                    ids);
        } else if (awsAccess.report(cause)) {
            log.error(
                    "The service cannot do its work, messages are left for redelivery and readiness is DOWN: {} ({});"
                            + " logged at most once a minute",
                    retry.why(),
                    LogValues.bounded(AwsErrors.message(cause)));
        }
    }

    private static String ids(@Nullable StoredEvent event) {
        return event == null
                ? ""
                : " aws_id=" + LogValues.bounded(event.awsId()) + " unique_id=" + LogValues.bounded(event.uniqueId());
    }
}
