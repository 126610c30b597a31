package com.kahula.eventpersister.config;

import com.kahula.eventpersister.store.DynamoDbEventStore;
import com.kahula.eventpersister.store.EventStore;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import java.util.concurrent.ScheduledExecutorService;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;

/** The event store on DynamoDB with its retry policy: exponential backoff with jitter on transient errors. */
@Configuration(proxyBeanMethods = false)
class StoreConfiguration {

    static final String STORE_RETRY = "dynamodb";
    private static final double BACKOFF_MULTIPLIER = 2.0;
    private static final double JITTER = 0.5;

    @Bean
    EventStore eventStore(
            DynamoDbAsyncClient dynamoDb,
            PersisterProperties properties,
            RetryRegistry retries,
            ScheduledExecutorService retryScheduler) {
        PersisterProperties.Store store = properties.store();
        Retry retry = retries.retry(
                STORE_RETRY,
                RetryConfig.custom()
                        .maxAttempts(store.maxAttempts())
                        .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(
                                store.initialBackoff(), BACKOFF_MULTIPLIER, JITTER, store.maxBackoff()))
                        .retryOnException(DynamoDbEventStore::isTransient)
                        .build());
        return new DynamoDbEventStore(dynamoDb, properties.table().name(), retry, retryScheduler);
    }
}
