package com.kahula.eventpersister.config;

import com.kahula.eventpersister.observability.PersisterMetrics;
import io.awspring.cloud.autoconfigure.AwsAsyncClientCustomizer;
import io.awspring.cloud.autoconfigure.core.AwsClientBuilderConfigurer;
import io.awspring.cloud.autoconfigure.dynamodb.DynamoDbProperties;
import java.util.concurrent.ScheduledExecutorService;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;

/**
 * The AWS clients that spring-cloud-aws does not make itself, configured with its region, credentials and endpoint
 * so that one {@code spring.cloud.aws.endpoint} points everything at LocalStack or the embedded stack.
 */
@Configuration(proxyBeanMethods = false)
// spring-cloud-aws's own DynamoDB auto-configuration is off (application.yml): its synchronous client, enhanced client
// and template would go unused beside this asynchronous client; its spring.cloud.aws.dynamodb.* properties still apply.
@EnableConfigurationProperties(DynamoDbProperties.class)
class AwsClientConfiguration {

    /** The clients' first calls, started as each client is made (static: a post-processor comes before the beans). */
    @Bean
    static AwsCallWarmUp awsCallWarmUp(ObjectProvider<PersisterProperties> properties) {
        return new AwsCallWarmUp(properties);
    }

    /** The AWS clients' one event loop ({@link AwsIo}). */
    @Bean(destroyMethod = "close")
    AwsIo awsIo(PersisterProperties properties) {
        return new AwsIo(properties.aws().ioThreads());
    }

    /** The clients spring-cloud-aws makes (SQS, CloudWatch) on the one event loop, with the SDK's connections. */
    @Bean
    AwsAsyncClientCustomizer awsIoOfSpringCloudAwsClients(AwsIo awsIo) {
        return builder -> builder.httpClientBuilder(awsIo.httpClient(AwsIo.SDK_DEFAULT_CONNECTIONS));
    }

    /**
     * The DynamoDB client, on the one event loop, with a connection for every message that may be in flight. Not the
     * AWS CRT client, though it costs less CPU per call (docs/performance.md, "Decisions the measurements support"):
     * its native resources shut down in a JVM shutdown hook of their own, alongside Spring's, so calls made while
     * draining on SIGTERM time out and finished work is lost.
     */
    @Bean(destroyMethod = "close")
    DynamoDbAsyncClient dynamoDbAsyncClient(
            AwsClientBuilderConfigurer configurer,
            DynamoDbProperties dynamoDbProperties,
            PersisterProperties properties,
            PersisterMetrics metrics,
            ScheduledExecutorService awsScheduler,
            AwsIo awsIo) {
        PersisterProperties.Store store = properties.store();
        // spring.cloud.aws.dynamodb.* (endpoint, region) applies as it does to the client spring-cloud-aws makes
        return configurer
                .configure(DynamoDbAsyncClient.builder(), dynamoDbProperties, null)
                .httpClientBuilder(awsIo.httpClient(Math.max(
                        AwsIo.SDK_DEFAULT_CONNECTIONS, properties.listener().maxConcurrentMessages())))
                // One retry policy, the store's own (resilience4j), with its budget in persister.store.*
                .overrideConfiguration(override -> override.addExecutionInterceptor(metrics.awsCalls())
                        .apiCallAttemptTimeout(store.callTimeout())
                        .scheduledExecutorService(awsScheduler)
                        .retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }
}
