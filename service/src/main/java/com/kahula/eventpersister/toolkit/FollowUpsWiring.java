package com.kahula.eventpersister.toolkit;

import com.kahula.eventpersister.aws.AwsErrors;
import com.kahula.eventpersister.config.PersisterProperties;
import com.kahula.eventpersister.followup.EventBridgeFollowUpPublisher;
import com.kahula.eventpersister.followup.FollowUpFactory;
import com.kahula.eventpersister.followup.FollowUpPublisher;
import com.kahula.eventpersister.followup.FollowUpRules;
import com.kahula.eventpersister.listener.FollowUpSweeper;
import com.kahula.eventpersister.store.DynamoDbFollowUpOutbox;
import com.kahula.eventpersister.store.FollowUpOutbox;
import com.kahula.eventpersister.tracing.KeptTraceHeaders;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeAsyncClient;

/**
 * The service's follow-up outbox, publisher and sweeper, made of the same classes with the same retry budgets and
 * circuit breaker as config/StoreConfiguration and config/FollowUpConfiguration make them, on clients of the command's
 * own; closes those clients.
 */
final class FollowUpsWiring implements AutoCloseable {

    // config/ResilienceConfiguration.backoffWithJitter: exponential backoff doubling, randomised +-50 %.
    private static final double BACKOFF_MULTIPLIER = 2.0;
    private static final double JITTER = 0.5;

    private final AwsOptions aws;
    private final ServiceSettings settings;
    private final ScheduledExecutorService retryScheduler = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("retry-scheduler").daemon().factory());
    private final DynamoDbAsyncClient dynamoDb;
    private final FollowUpOutbox outbox;
    private @Nullable EventBridgeAsyncClient eventBridge;

    FollowUpsWiring(AwsOptions aws, ServiceSettings settings) {
        this.aws = aws;
        this.settings = settings;
        PersisterProperties.Store store = settings.store();
        // as the service: one retry policy, resilience4j's, with the budget of persister.store.*
        this.dynamoDb = aws.dynamoDbAsync()
                .overrideConfiguration(override -> override.apiCallAttemptTimeout(store.callTimeout())
                        .retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
        this.outbox = new DynamoDbFollowUpOutbox(
                dynamoDb,
                aws.tableName(),
                retry(
                        "dynamodb",
                        store.maxAttempts(),
                        store.initialBackoff(),
                        store.maxBackoff(),
                        AwsErrors::isTransient),
                retryScheduler);
    }

    FollowUpOutbox outbox() {
        return outbox;
    }

    /** A sweeper that only lists: it has no bus, and fails if asked to send. */
    FollowUpSweeper lister() {
        return sweeper(
                followUps -> CompletableFuture.failedFuture(new IllegalStateException("a listing sends nothing")),
                new SweepTally(sent -> {}));
    }

    /** A sweeper that sends on the environment's bus as the service's sweeper does, reporting to {@code tally}. */
    FollowUpSweeper sender(SweepTally tally) {
        PersisterProperties.FollowUps followUp = settings.followUp();
        EventBridgeAsyncClient client = aws.eventBridgeAsync()
                .overrideConfiguration(override -> override.apiCallAttemptTimeout(followUp.callTimeout())
                        .retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
        eventBridge = client;
        CircuitBreaker circuitBreaker = CircuitBreaker.of(
                "eventbridge",
                EventBridgeFollowUpPublisher.circuitBreakerConfig(
                        followUp.circuitBreakerFailureRate(), followUp.circuitBreakerOpenFor()));
        FollowUpPublisher publisher = new EventBridgeFollowUpPublisher(
                client,
                aws.busName(),
                retry(
                        "eventbridge",
                        followUp.maxAttempts(),
                        followUp.initialBackoff(),
                        followUp.maxBackoff(),
                        EventBridgeFollowUpPublisher::isTransient),
                circuitBreaker,
                retryScheduler,
                tally);
        return sweeper(publisher, tally);
    }

    private FollowUpSweeper sweeper(FollowUpPublisher publisher, SweepTally tally) {
        PersisterProperties.FollowUps followUp = settings.followUp();
        return new FollowUpSweeper(
                outbox,
                new FollowUpRules(followUp.rules(), followUp.source()),
                new FollowUpFactory(followUp.source(), followUp.maxEntryBytes()),
                publisher,
                tally,
                new KeptTraceHeaders(),
                Clock.systemUTC());
    }

    private static Retry retry(
            String name, int attempts, Duration initialBackoff, Duration maxBackoff, Predicate<Throwable> worthIt) {
        return Retry.of(
                name,
                RetryConfig.custom()
                        .maxAttempts(attempts)
                        .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(
                                initialBackoff, BACKOFF_MULTIPLIER, JITTER, maxBackoff))
                        .retryOnException(worthIt)
                        .build());
    }

    @Override
    public void close() {
        dynamoDb.close();
        EventBridgeAsyncClient bus = eventBridge;
        if (bus != null) {
            bus.close();
        }
        retryScheduler.shutdownNow();
    }
}
