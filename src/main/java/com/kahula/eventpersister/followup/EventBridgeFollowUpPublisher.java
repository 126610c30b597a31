package com.kahula.eventpersister.followup;

import com.kahula.eventpersister.aws.AwsErrors;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.retry.Retry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.eventbridge.EventBridgeAsyncClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;

/**
 * Publishes follow-ups with PutEvents: up to ten entries a call within the request size limit; entries that failed
 * for a transient reason are sent again, alone, with exponential backoff and jitter; a circuit breaker stops the calls
 * while EventBridge is down.
 *
 * <p>Longer than most classes here on purpose: batching, the per-entry answers and the retry of what PutEvents refused
 * are one protocol, and splitting them would spread the rule of which entry is sent again over several files.
 */
public final class EventBridgeFollowUpPublisher implements FollowUpPublisher {

    private static final Logger log = LoggerFactory.getLogger(EventBridgeFollowUpPublisher.class);
    private static final int MAX_ENTRIES_PER_CALL = 10;
    private static final int MAX_REQUEST_SIZE = FollowUpFactory.MAX_ENTRY_SIZE;
    private static final Set<String> TRANSIENT_ENTRY_ERRORS =
            Set.of("ThrottlingException", "InternalFailure", "InternalException", "ServiceUnavailable");
    // An entry refused for what it holds; any other refusal (no permission, no bus) is the service's, not the entry's.
    private static final Set<String> MALFORMED_ENTRY_ERRORS = Set.of("MalformedDetail", "InvalidArgument");

    private final EventBridgeAsyncClient eventBridge;
    private final String busName;
    private final Retry retry;
    private final CircuitBreaker circuitBreaker;
    private final ScheduledExecutorService scheduler;
    private final PublicationListener listener;

    public EventBridgeFollowUpPublisher(
            EventBridgeAsyncClient eventBridge,
            String busName,
            Retry retry,
            CircuitBreaker circuitBreaker,
            ScheduledExecutorService scheduler,
            PublicationListener listener) {
        this.eventBridge = eventBridge;
        this.busName = busName;
        this.retry = retry;
        this.circuitBreaker = circuitBreaker;
        this.scheduler = scheduler;
        this.listener = listener;
    }

    /** Whether a failed call is worth another attempt: throttling, 5xx, timeouts, lost connections, entry failures. */
    public static boolean isTransient(Throwable error) {
        return AwsErrors.unwrap(error) instanceof EntriesNotAccepted || AwsErrors.isTransient(error);
    }

    /** Whether a failure says EventBridge is unavailable, as the circuit breaker counts it. */
    public static boolean isOutage(Throwable error) {
        return AwsErrors.isOutage(error);
    }

    @Override
    public CompletableFuture<Publication> publish(List<FollowUp> followUps) {
        Set<String> accepted = ConcurrentHashMap.newKeySet();
        Map<String, String> rejected = new ConcurrentHashMap<>();
        List<CompletableFuture<Void>> calls = new ArrayList<>();
        for (List<FollowUp> chunk : chunks(followUps)) {
            calls.add(publishChunk(chunk, accepted, rejected));
        }
        return CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new))
                .thenApply(done -> new Publication(accepted, rejected));
    }

    private CompletableFuture<Void> publishChunk(
            List<FollowUp> chunk, Set<String> accepted, Map<String, String> rejected) {
        Attempts attempts = new Attempts(chunk);
        return Retry.decorateCompletionStage(
                        retry,
                        scheduler,
                        () -> circuitBreaker
                                .decorateCompletionStage(() -> attempts.send(accepted, rejected))
                                .get())
                .get()
                .toCompletableFuture()
                .handle((ok, error) -> {
                    if (error != null) {
                        attempts.giveUp(error);
                    }
                    return null;
                });
    }

    private static List<List<FollowUp>> chunks(List<FollowUp> followUps) {
        List<List<FollowUp>> chunks = new ArrayList<>();
        List<FollowUp> current = new ArrayList<>();
        long size = 0;
        for (FollowUp followUp : followUps) {
            long entrySize = followUp.entrySize();
            if (current.size() == MAX_ENTRIES_PER_CALL || (!current.isEmpty() && size + entrySize > MAX_REQUEST_SIZE)) {
                chunks.add(current);
                current = new ArrayList<>();
                size = 0;
            }
            current.add(followUp);
            size += entrySize;
        }
        if (!current.isEmpty()) {
            chunks.add(current);
        }
        return chunks;
    }

    /** The entries of one chunk still to be accepted, across attempts: each attempt sends only what failed before. */
    private final class Attempts {

        private volatile List<FollowUp> remaining;
        private volatile boolean first = true;

        Attempts(List<FollowUp> chunk) {
            this.remaining = chunk;
        }

        CompletableFuture<Void> send(Set<String> accepted, Map<String, String> rejected) {
            List<FollowUp> sending = remaining;
            if (!first) {
                sending.forEach(listener::retried);
            }
            first = false;
            List<PutEventsRequestEntry> entries =
                    sending.stream().map(this::entry).toList();
            return eventBridge
                    .putEvents(request -> request.entries(entries))
                    .thenAccept(response -> settle(sending, response, accepted, rejected));
        }

        private void settle(
                List<FollowUp> sent, PutEventsResponse response, Set<String> accepted, Map<String, String> rejected) {
            List<PutEventsResultEntry> results = response.entries();
            List<FollowUp> again = new ArrayList<>();
            for (int i = 0; i < sent.size(); i++) {
                FollowUp followUp = sent.get(i);
                PutEventsResultEntry result = i < results.size() ? results.get(i) : null;
                if (result != null && result.errorCode() == null && result.eventId() != null) {
                    accepted.add(followUp.id());
                    listener.emitted(followUp);
                } else if (result == null || TRANSIENT_ENTRY_ERRORS.contains(result.errorCode())) {
                    again.add(followUp);
                } else if (MALFORMED_ENTRY_ERRORS.contains(result.errorCode())) {
                    // about this follow-up's content: no retry or redelivery can mend it
                    listener.failed(followUp);
                    rejected.put(followUp.id(), result.errorCode() + ": " + result.errorMessage());
                } else {
                    // Not retried in-process: the source message stays unacknowledged and SQS redelivers it.
                    listener.failed(followUp);
                    log.error(
                            "EventBridge refused follow-up {} ({}) of rule {} caused by unique_id={}: {} {}",
                            followUp.id(),
                            followUp.type(),
                            followUp.ruleForLog(),
                            followUp.causationId(),
                            result.errorCode(),
                            result.errorMessage());
                }
            }
            remaining = again;
            if (!again.isEmpty()) {
                throw new EntriesNotAccepted(again.size());
            }
        }

        void giveUp(Throwable error) {
            Throwable cause = AwsErrors.unwrap(error);
            BiConsumer<FollowUp, String> report = cause instanceof CallNotPermittedException
                    ? (followUp, why) -> log.warn(
                            "Follow-up {} ({}) of rule {} for unique_id={} stays pending: {}",
                            followUp.id(),
                            followUp.type(),
                            followUp.ruleForLog(),
                            followUp.causationId(),
                            why)
                    : (followUp, why) -> log.error(
                            "Could not publish follow-up {} ({}) of rule {} for unique_id={}: {}; it stays pending",
                            followUp.id(),
                            followUp.type(),
                            followUp.ruleForLog(),
                            followUp.causationId(),
                            why);
            for (FollowUp followUp : remaining) {
                listener.failed(followUp);
                report.accept(followUp, cause.toString());
            }
        }

        private PutEventsRequestEntry entry(FollowUp followUp) {
            return PutEventsRequestEntry.builder()
                    .eventBusName(busName)
                    .source(followUp.source())
                    .detailType(followUp.type())
                    .detail(followUp.detail())
                    .build();
        }
    }

    /** Some entries of a call were refused for a transient reason: the call is attempted again with those alone. */
    static final class EntriesNotAccepted extends RuntimeException {
        EntriesNotAccepted(int count) {
            super(count + " follow-up entries were not accepted yet", null, false, false);
        }
    }
}
