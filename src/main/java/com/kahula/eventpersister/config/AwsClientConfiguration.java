package com.kahula.eventpersister.config;

import com.kahula.eventpersister.observability.PersisterMetrics;
import io.awspring.cloud.autoconfigure.core.AwsClientBuilderConfigurer;
import io.awspring.cloud.autoconfigure.dynamodb.DynamoDbProperties;
import io.awspring.cloud.autoconfigure.sqs.SqsAsyncClientCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.crt.AwsCrtAsyncHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;

/**
 * The AWS clients that spring-cloud-aws does not make itself, configured with its region, credentials and endpoint
 * so that one {@code spring.cloud.aws.endpoint} points everything at LocalStack or the embedded stack.
 */
@Configuration(proxyBeanMethods = false)
class AwsClientConfiguration {

    @Bean(destroyMethod = "close")
    DynamoDbAsyncClient dynamoDbAsyncClient(
            AwsClientBuilderConfigurer configurer,
            DynamoDbProperties dynamoDbProperties,
            PersisterProperties properties,
            PersisterMetrics metrics) {
        PersisterProperties.Store store = properties.store();
        // spring.cloud.aws.dynamodb.* (endpoint, region) applies as it does to the client spring-cloud-aws makes
        return configurer
                .configure(DynamoDbAsyncClient.builder(), dynamoDbProperties, null, null)
                .httpClientBuilder(httpClient(properties))
                // One retry policy, the store's own (resilience4j), with its budget in persister.store.*
                .overrideConfiguration(override -> override.addExecutionInterceptor(metrics.awsCalls())
                        .apiCallAttemptTimeout(store.callTimeout())
                        .retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    /** SQS on the same HTTP client as DynamoDB: receives, acknowledgements and parking. */
    @Bean
    SqsAsyncClientCustomizer sqsHttpClient(PersisterProperties properties) {
        return builder -> builder.httpClientBuilder(httpClient(properties));
    }

    /**
     * The AWS CRT HTTP client rather than the SDK's default Netty: it costs less CPU per call (measured in
     * docs/performance.md), with a connection for every message that may be in flight.
     */
    private static AwsCrtAsyncHttpClient.Builder httpClient(PersisterProperties properties) {
        return AwsCrtAsyncHttpClient.builder()
                .maxConcurrency(Math.max(50, properties.listener().maxConcurrentMessages()));
    }
}
