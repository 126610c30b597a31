package com.kahula.eventpersister.config;

import com.kahula.eventpersister.observability.MeteredEventStore;
import com.kahula.eventpersister.observability.PersisterMetrics;
import com.kahula.eventpersister.store.DynamoDbEventStore;
import com.kahula.eventpersister.store.DynamoDbFollowUpOutbox;
import com.kahula.eventpersister.store.EventStore;
import com.kahula.eventpersister.store.FollowUpOutbox;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryRegistry;
import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;

/**
 * The event store on DynamoDB with its retry policy (exponential backoff with jitter on transient errors) and its
 * circuit breaker, which pauses the listener while the table fails for most writes; counted by its metrics decorator.
 * The follow-up outbox on the same table.
 */
@Configuration(proxyBeanMethods = false)
class StoreConfiguration {

    static final String STORE_RETRY = "dynamodb";

    // The write attempts the circuit breaker judges by, and the fewest before it may open.
    private static final int WINDOW = 20;
    private static final int LEAST_CALLS = 10;

    @Bean
    Retry storeRetry(PersisterProperties properties, RetryRegistry retries) {
        PersisterProperties.Store store = properties.store();
        return retries.retry(
                STORE_RETRY,
                ResilienceConfiguration.backoffWithJitter(
                        store.maxAttempts(),
                        store.initialBackoff(),
                        store.maxBackoff(),
                        DynamoDbEventStore::isTransient));
    }

    @Bean
    CircuitBreaker storeCircuitBreaker(PersisterProperties properties, CircuitBreakerRegistry circuitBreakers) {
        PersisterProperties.Store store = properties.store();
        return circuitBreakers.circuitBreaker(
                STORE_RETRY,
                CircuitBreakerConfig.custom()
                        .failureRateThreshold(store.pauseFailureRate())
                        .slidingWindowSize(WINDOW)
                        .minimumNumberOfCalls(LEAST_CALLS)
                        .waitDurationInOpenState(store.probeInterval())
                        .automaticTransitionFromOpenToHalfOpenEnabled(true)
                        .permittedNumberOfCallsInHalfOpenState(1)
                        .recordException(DynamoDbEventStore::countsAgainstTheStore)
                        .build());
    }

    @Bean
    EventStore eventStore(
            DynamoDbAsyncClient dynamoDb,
            PersisterProperties properties,
            Retry storeRetry,
            CircuitBreaker storeCircuitBreaker,
            ScheduledExecutorService awsScheduler,
            PersisterMetrics metrics) {
        return new MeteredEventStore(
                new DynamoDbEventStore(
                        dynamoDb, properties.table().name(), storeRetry, awsScheduler, storeCircuitBreaker),
                metrics,
                Clock.systemUTC());
    }

    @Bean
    FollowUpOutbox followUpOutbox(
            DynamoDbAsyncClient dynamoDb,
            PersisterProperties properties,
            Retry storeRetry,
            ScheduledExecutorService awsScheduler) {
        return new DynamoDbFollowUpOutbox(dynamoDb, properties.table().name(), storeRetry, awsScheduler);
    }

    @Bean
    StoreCircuit storeCircuit(
            CircuitBreaker storeCircuitBreaker,
            EventStore eventStore,
            ScheduledExecutorService awsScheduler,
            PersisterMetrics metrics) {
        StoreCircuit circuit = new StoreCircuit(storeCircuitBreaker, eventStore, awsScheduler);
        metrics.listenerPaused(circuit::paused);
        return circuit;
    }
}
