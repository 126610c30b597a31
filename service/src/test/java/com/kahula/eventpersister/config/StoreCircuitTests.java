package com.kahula.eventpersister.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.kahula.eventpersister.event.StoredEvent;
import com.kahula.eventpersister.observability.ListenerHealthIndicator;
import com.kahula.eventpersister.store.EventStore;
import com.kahula.eventpersister.store.FollowUpMark;
import com.kahula.eventpersister.store.SaveResult;
import io.awspring.cloud.sqs.listener.AsyncMessageListener;
import io.awspring.cloud.sqs.listener.MessageListener;
import io.awspring.cloud.sqs.listener.MessageListenerContainer;
import io.awspring.cloud.sqs.listener.MessageListenerContainerRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;

/**
 * The store's circuit as the listener obeys it, on a real resilience4j circuit breaker configured as the service
 * configures it (20 writes judged, at least 10, opens at 50 %, one probe while half open) and a fake store whose probe
 * goes through that breaker as the DynamoDB store's does.
 */
class StoreCircuitTests {

    // The instant the circuit opened, as the reason prints it: an ISO-8601 UTC instant.
    private static final String INSTANT = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z";

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final ProbedStore store = new ProbedStore();

    @AfterEach
    void stopScheduler() throws InterruptedException {
        scheduler.shutdownNow();
        assertThat(scheduler.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aClosedCircuitLeavesTheListenerPollingWithNoReasonToGive() throws InterruptedException {
        StoreCircuit circuit = circuit(breaker(Duration.ofHours(1)));

        assertThat(circuit.paused()).isFalse();
        assertThat(circuit.pausedBecause()).isEmpty();
        assertThat(circuit.listenerPause().request(10)).isEqualTo(10);
    }

    @Test
    void anOpenCircuitPausesTheListenerAndSaysWhyWithTheRateAndTheMostRecentFailure() throws InterruptedException {
        CircuitBreaker breaker = breaker(Duration.ofHours(1));
        StoreCircuit circuit = circuit(breaker);

        // 4 writes answered, then 6 failed: 6 of 10 is 60 %, at least the 10 calls the breaker needs, over its 50 %
        writes(breaker, 4, 6);

        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(circuit.paused()).isTrue();
        assertThat(circuit.listenerPause().request(10)).isZero();
        assertThat(circuit.pausedBecause())
                .hasValueSatisfying(reason -> assertThat(reason)
                        .matches(
                                "DynamoDB failed 60 % of the last writes \\(last: InternalServerError: write 6\\) since "
                                        + INSTANT + "; the listener takes no messages and probes the table"));
    }

    @Test
    void aFailedProbeBecomesTheLastFailureWhileTheRateAndTimeStayThoseThatOpenedTheCircuit() {
        CircuitBreaker breaker = breaker(Duration.ofHours(1));
        StoreCircuit circuit = circuit(breaker);
        writes(breaker, 4, 6);
        String openedSince = since(circuit.pausedBecause().orElseThrow());

        breaker.transitionToHalfOpenState();
        assertThat(circuit.pausedBecause())
                .as("while the probe is out")
                .hasValueSatisfying(reason -> assertThat(reason)
                        .startsWith("DynamoDB failed 60 % of the last writes (last: InternalServerError:"
                                + " write 6) since " + openedSince + ";"));
        assertThat(breaker.tryAcquirePermission()).isTrue();
        breaker.onError(0, TimeUnit.MILLISECONDS, failure("probe refused"));

        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(circuit.pausedBecause())
                .hasValueSatisfying(reason -> assertThat(reason)
                        .startsWith("DynamoDB failed 60 % of the last writes (last: InternalServerError:"
                                + " probe refused) since " + openedSince + ";"));
    }

    @Test
    void readinessIsDownWithTheReasonWhilePausedAndUpOnceClosed() {
        CircuitBreaker breaker = breaker(Duration.ofHours(1));
        StoreCircuit circuit = circuit(breaker);
        ListenerHealthIndicator readiness =
                new ListenerHealthIndicator(new OneRunningContainer(), circuit::pausedBecause);
        assertThat(readiness.health().getStatus()).isEqualTo(Status.UP);

        writes(breaker, 0, 10);

        Health paused = readiness.health();
        assertThat(paused.getStatus()).isEqualTo(Status.DOWN);
        assertThat(paused.getDetails())
                .containsEntry("containers", 1)
                .hasEntrySatisfying(
                        "paused",
                        reason -> assertThat((String) reason)
                                .matches(
                                        "DynamoDB failed 100 % of the last writes \\(last: InternalServerError: write 10\\)"
                                                + " since " + INSTANT
                                                + "; the listener takes no messages and probes the table"));

        breaker.transitionToClosedState();
        assertThat(readiness.health().getStatus()).isEqualTo(Status.UP);
        assertThat(readiness.health().getDetails()).doesNotContainKey("paused");
    }

    @Test
    void probesTheStoreWhileHalfOpenUntilAProbeSucceedsThenResumesTheListener() throws InterruptedException {
        // automatic: OPEN turns HALF_OPEN after 300 ms, where the circuit lets one probe through
        CircuitBreaker breaker = breaker(Duration.ofMillis(300));
        StoreCircuit circuit = circuit(breaker);
        store.answers.add(CompletableFuture.failedFuture(failure("still down")));
        store.answers.add(CompletableFuture.completedFuture(null));
        writes(breaker, 0, 10);
        circuit.start();

        await().atMost(Duration.ofSeconds(10)).until(() -> breaker.getState() == CircuitBreaker.State.CLOSED);

        assertThat(store.probes).hasValue(2);
        assertThat(circuit.paused()).isFalse();
        assertThat(circuit.pausedBecause()).isEmpty();
        assertThat(circuit.listenerPause().request(10)).isEqualTo(10);
        circuit.stop();
        assertThat(circuit.isRunning()).isFalse();
    }

    @Test
    void neverProbesWhileTheCircuitIsOpenOrClosed() {
        CircuitBreaker breaker = breaker(Duration.ofHours(1));
        StoreCircuit circuit = circuit(breaker);
        circuit.start();

        await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(2)).until(() -> store.probes.get() == 0);
        writes(breaker, 0, 10);
        await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(2)).until(() -> store.probes.get() == 0);

        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);
        circuit.stop();
    }

    private StoreCircuit circuit(CircuitBreaker breaker) {
        store.breaker = breaker;
        return new StoreCircuit(breaker, store, scheduler);
    }

    /** The breaker as StoreConfiguration builds it, with the default failure rate and the given wait while open. */
    private static CircuitBreaker breaker(Duration openFor) {
        return CircuitBreaker.of(
                "dynamodb",
                CircuitBreakerConfig.custom()
                        .failureRateThreshold(50)
                        .slidingWindowSize(20)
                        .minimumNumberOfCalls(10)
                        .waitDurationInOpenState(openFor)
                        .automaticTransitionFromOpenToHalfOpenEnabled(true)
                        .permittedNumberOfCallsInHalfOpenState(1)
                        .build());
    }

    /** {@code answered} writes that succeeded, then {@code failed} that failed, named write 1 to write n in order. */
    private static void writes(CircuitBreaker breaker, int answered, int failed) {
        for (int i = 0; i < answered; i++) {
            breaker.onSuccess(1, TimeUnit.MILLISECONDS);
        }
        for (int i = 1; i <= failed; i++) {
            breaker.onError(1, TimeUnit.MILLISECONDS, failure("write " + i));
        }
    }

    private static DynamoDbException failure(String message) {
        return (DynamoDbException) DynamoDbException.builder()
                .statusCode(500)
                .awsErrorDetails(AwsErrorDetails.builder()
                        .errorCode("InternalServerError")
                        .errorMessage(message)
                        .build())
                .build();
    }

    private static String since(String reason) {
        return reason.replaceAll(".* since (" + INSTANT + ");.*", "$1");
    }

    /** A store whose probe goes through the circuit breaker, as DynamoDbEventStore's does, with scripted answers. */
    private static final class ProbedStore implements EventStore {
        final Queue<CompletableFuture<@Nullable Void>> answers = new ConcurrentLinkedQueue<>();
        final AtomicInteger probes = new AtomicInteger();

        @Nullable
        volatile CircuitBreaker breaker;

        @Override
        public CompletableFuture<SaveResult> save(StoredEvent event, Optional<FollowUpMark> followUp) {
            throw new UnsupportedOperationException("the circuit only probes");
        }

        @Override
        public CompletableFuture<Void> probe() {
            CircuitBreaker through = breaker;
            assertThat(through).isNotNull();
            return through.<Void>decorateCompletionStage(() -> {
                        probes.incrementAndGet();
                        CompletableFuture<@Nullable Void> answer = answers.poll();
                        return answer == null ? CompletableFuture.completedFuture(null) : answer;
                    })
                    .get()
                    .toCompletableFuture();
        }
    }

    /** A registry of one listener container, running. */
    private static final class OneRunningContainer implements MessageListenerContainerRegistry {

        @Override
        public Collection<MessageListenerContainer<?>> getListenerContainers() {
            return List.of(new RunningContainer());
        }

        @Override
        public @Nullable MessageListenerContainer<?> getContainerById(String id) {
            return null;
        }

        @Override
        public void registerListenerContainer(MessageListenerContainer<?> container) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void start() {}

        @Override
        public void stop() {}

        @Override
        public boolean isRunning() {
            return true;
        }
    }

    private static final class RunningContainer implements MessageListenerContainer<Object> {

        @Override
        public String getId() {
            return "events";
        }

        @Override
        public void setId(String id) {}

        @Override
        public void setMessageListener(MessageListener<Object> messageListener) {}

        @Override
        public void setAsyncMessageListener(AsyncMessageListener<Object> asyncMessageListener) {}

        @Override
        public void start() {}

        @Override
        public void stop() {}

        @Override
        public boolean isRunning() {
            return true;
        }
    }
}
