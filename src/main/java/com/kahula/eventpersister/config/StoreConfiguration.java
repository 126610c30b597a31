package com.kahula.eventpersister.config;

import com.kahula.eventpersister.observability.MeteredEventStore;
import com.kahula.eventpersister.observability.PersisterMetrics;
import com.kahula.eventpersister.store.DynamoDbEventStore;
import com.kahula.eventpersister.store.EventStore;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryRegistry;
import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;

/**
 * The event store on DynamoDB with its retry policy (exponential backoff with jitter on transient errors), counted by
 * its metrics decorator.
 */
@Configuration(proxyBeanMethods = false)
class StoreConfiguration {

    static final String STORE_RETRY = "dynamodb";

    @Bean
    EventStore eventStore(
            DynamoDbAsyncClient dynamoDb,
            PersisterProperties properties,
            RetryRegistry retries,
            ScheduledExecutorService retryScheduler,
            PersisterMetrics metrics) {
        PersisterProperties.Store store = properties.store();
        Retry retry = retries.retry(
                STORE_RETRY,
                ResilienceConfiguration.backoffWithJitter(
                        store.maxAttempts(),
                        store.initialBackoff(),
                        store.maxBackoff(),
                        DynamoDbEventStore::isTransient));
        return new MeteredEventStore(
                new DynamoDbEventStore(dynamoDb, properties.table().name(), retry, retryScheduler),
                metrics,
                Clock.systemUTC());
    }
}
