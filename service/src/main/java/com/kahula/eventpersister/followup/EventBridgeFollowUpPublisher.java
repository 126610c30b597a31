package com.kahula.eventpersister.followup;

import com.kahula.eventpersister.aws.AwsErrors;
import com.kahula.eventpersister.aws.Batcher;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.retry.Retry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.eventbridge.EventBridgeAsyncClient;
import software.amazon.awssdk.services.eventbridge.model.EventBridgeException;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;

/**
 * Publishes follow-ups with PutEvents: up to ten entries a call within the request size limit; entries that failed
 * for a transient reason are sent again, alone, with exponential backoff and jitter; a circuit breaker stops the calls
 * while EventBridge is down.
 *
 * <p>Batching, the per-entry answers and the retry of what PutEvents refused are one protocol, kept in one class so that
 * the rule of which entry is sent again is in one place.
 */
public final class EventBridgeFollowUpPublisher implements FollowUpPublisher {

    /** PutEvents' limit on the entries of one call. */
    public static final int MAX_ENTRIES_PER_CALL = 10;

    /** PutEvents' limit on the size of one call's entries together. */
    public static final int MAX_REQUEST_SIZE = FollowUpFactory.MAX_ENTRY_SIZE;

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

    /**
     * The circuit breaker the publisher takes, as the service and the toolkit build it: open at {@code failureRate}
     * percent of the last ten calls (five at least) that failed for an outage, for {@code openFor}, then two trial calls.
     */
    public static CircuitBreakerConfig circuitBreakerConfig(int failureRate, Duration openFor) {
        return CircuitBreakerConfig.custom()
                .failureRateThreshold(failureRate)
                .slidingWindowSize(10)
                .minimumNumberOfCalls(5)
                .waitDurationInOpenState(openFor)
                .permittedNumberOfCallsInHalfOpenState(2)
                .recordException(EventBridgeFollowUpPublisher::isOutage)
                .build();
    }

    /** Whether a failure says EventBridge is unavailable, as the circuit breaker counts it. */
    public static boolean isOutage(Throwable error) {
        return AwsErrors.isOutage(error);
    }

    @Override
    public CompletableFuture<Publication> publish(List<FollowUp> followUps) {
        Results results = new Results();
        List<CompletableFuture<Void>> calls = new ArrayList<>();
        for (List<FollowUp> chunk :
                Batcher.split(followUps, MAX_ENTRIES_PER_CALL, MAX_REQUEST_SIZE, FollowUp::entrySize)) {
            calls.add(publishChunk(chunk, results));
        }
        return CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new))
                .thenApply(done -> new Publication(results.accepted, results.busRejected, results.pending));
    }

    private CompletableFuture<Void> publishChunk(List<FollowUp> chunk, Results results) {
        Attempts attempts = new Attempts(chunk);
        return Retry.decorateCompletionStage(
                        retry,
                        scheduler,
                        () -> circuitBreaker
                                .decorateCompletionStage(() -> attempts.send(results))
                                .get())
                .get()
                .toCompletableFuture()
                .handle((ok, error) -> {
                    if (error != null) {
                        attempts.giveUp(error, results);
                    }
                    return null;
                });
    }

    /** What became of every follow-up of one publication, filled in by its chunks as they finish. */
    private static final class Results {
        final Set<String> accepted = ConcurrentHashMap.newKeySet();
        final Map<String, String> busRejected = new ConcurrentHashMap<>();
        final Map<String, Throwable> pending = new ConcurrentHashMap<>();
    }

    /** The entries of one chunk still to be accepted, across attempts: each attempt sends only what failed before. */
    private final class Attempts {

        private volatile List<FollowUp> remaining;
        // the bus's last answer about each entry it did not accept: what keeps it pending if the attempts run out
        private final Map<String, Throwable> refusals = new ConcurrentHashMap<>();
        private volatile boolean first = true;

        Attempts(List<FollowUp> chunk) {
            this.remaining = chunk;
        }

        CompletableFuture<Void> send(Results results) {
            List<FollowUp> sending = remaining;
            if (!first) {
                sending.forEach(listener::retried);
            }
            first = false;
            List<PutEventsRequestEntry> entries =
                    sending.stream().map(this::entry).toList();
            return eventBridge
                    .putEvents(request -> request.entries(entries))
                    .thenAccept(response -> settle(sending, response, results));
        }

        private void settle(List<FollowUp> sent, PutEventsResponse response, Results results) {
            List<PutEventsResultEntry> answers = response.entries();
            List<FollowUp> again = new ArrayList<>();
            for (int i = 0; i < sent.size(); i++) {
                FollowUp followUp = sent.get(i);
                PutEventsResultEntry answer = i < answers.size() ? answers.get(i) : null;
                if (answer != null && answer.errorCode() == null && answer.eventId() != null) {
                    results.accepted.add(followUp.id());
                    listener.emitted(followUp);
                } else if (answer == null || TRANSIENT_ENTRY_ERRORS.contains(answer.errorCode())) {
                    refusals.put(followUp.id(), refusal(answer));
                    again.add(followUp);
                } else if (MALFORMED_ENTRY_ERRORS.contains(answer.errorCode())) {
                    // about this follow-up's content: no retry or redelivery can mend it
                    listener.failed(followUp);
                    results.busRejected.put(followUp.id(), answer.errorCode() + ": " + answer.errorMessage());
                } else {
                    // the service's (no permission, no bus): not retried in-process, the source message is redelivered
                    listener.failed(followUp);
                    results.pending.put(followUp.id(), refusal(answer));
                }
            }
            remaining = again;
            if (!again.isEmpty()) {
                throw new EntriesNotAccepted(again.size());
            }
        }

        void giveUp(Throwable error, Results results) {
            Throwable cause = AwsErrors.unwrap(error);
            for (FollowUp followUp : remaining) {
                listener.failed(followUp);
                results.pending.put(followUp.id(), keptPendingBy(cause, followUp));
            }
        }

        private Throwable keptPendingBy(Throwable cause, FollowUp followUp) {
            if (cause instanceof EntriesNotAccepted) {
                return refusals.getOrDefault(followUp.id(), cause);
            }
            if (cause instanceof CallNotPermittedException) {
                // no call was made: the breaker is open after EventBridge failed repeatedly, an outage not a fault
                return SdkClientException.create("EventBridge calls are paused by the circuit breaker", cause);
            }
            return cause;
        }

        private PutEventsRequestEntry entry(FollowUp followUp) {
            return PutEventsRequestEntry.builder()
                    .eventBusName(busName)
                    .source(followUp.source())
                    .detailType(followUp.type())
                    .detail(followUp.detail())
                    .traceHeader(followUp.traceHeader())
                    .build();
        }
    }

    /**
     * The bus's answer about one entry as the exception a refused call would have raised, so that it is classified
     * and reported like one ({@link AwsErrors}); no answer at all counts as a lost one.
     */
    static Throwable refusal(@Nullable PutEventsResultEntry answer) {
        if (answer == null) {
            return SdkClientException.create("PutEvents answered for fewer entries than it was sent");
        }
        String code = String.valueOf(answer.errorCode());
        int status = code.equals("ThrottlingException") ? 429 : TRANSIENT_ENTRY_ERRORS.contains(code) ? 500 : 400;
        return EventBridgeException.builder()
                .statusCode(status)
                .message(code + ": " + answer.errorMessage())
                .awsErrorDetails(AwsErrorDetails.builder()
                        .serviceName("EventBridge")
                        .errorCode(code)
                        .errorMessage(answer.errorMessage())
                        .build())
                .build();
    }

    /** Some entries of a call were refused for a transient reason: the call is attempted again with those alone. */
    static final class EntriesNotAccepted extends RuntimeException {
        EntriesNotAccepted(int count) {
            super(count + " follow-up entries were not accepted yet", null, false, false);
        }
    }
}
