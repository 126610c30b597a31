package com.kahula.eventpersister.config;

import com.kahula.eventpersister.followup.FollowUpRules;
import com.kahula.eventpersister.observability.AbandonedRequestWarnings;
import com.kahula.eventpersister.observability.AwsAccessHealthIndicator;
import com.kahula.eventpersister.observability.EventQueueHealthIndicator;
import com.kahula.eventpersister.observability.EventTableHealthIndicator;
import com.kahula.eventpersister.observability.ListenerHealthIndicator;
import com.kahula.eventpersister.observability.PersisterMetrics;
import io.awspring.cloud.autoconfigure.sqs.SqsAsyncClientCustomizer;
import io.awspring.cloud.sqs.listener.MessageListenerContainerRegistry;
import io.micrometer.cloudwatch2.CloudWatchMeterRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.micrometer.metrics.autoconfigure.MeterRegistryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/**
 * Metrics and the readiness checks (table, queue, listener; liveness depends on none of them). Export to CloudWatch is
 * spring-cloud-aws's, on when {@code management.cloudwatch.metrics.export.namespace} is set (the ecs profile).
 */
@Configuration(proxyBeanMethods = false)
class ObservabilityConfiguration {

    /**
     * CloudWatch's registry (the ecs profile, where it is the only one) takes this service's and resilience4j's meters
     * only: CloudWatch bills each metric by the month, and no alarm, graph or guide reads the framework's own.
     */
    @Bean
    static MeterRegistryCustomizer<CloudWatchMeterRegistry> cloudWatchTakesTheServicesMeters() {
        return registry -> registry.config().meterFilter(PersisterMetrics.billedMetersOnly());
    }

    /** Netty's warnings about requests the SDK abandoned are left out of the log, nothing else is. */
    @Bean
    SmartInitializingSingleton abandonedRequestWarningsLeftOut() {
        return AbandonedRequestWarnings::addToRootAppenders;
    }

    /** Counters of each type the follow-up rules emit, from start-up: the alarms find each series before its first. */
    @Bean
    PersisterMetrics persisterMetrics(MeterRegistry registry, FollowUpRules rules) {
        return new PersisterMetrics(registry, rules.emittedTypes());
    }

    @Bean
    EventTableHealthIndicator eventTableHealthIndicator(DynamoDbAsyncClient dynamoDb, PersisterProperties properties) {
        return new EventTableHealthIndicator(
                dynamoDb, properties.table().name(), properties.store().callTimeout());
    }

    @Bean
    EventQueueHealthIndicator eventQueueHealthIndicator(SqsAsyncClient sqs, PersisterProperties properties) {
        return new EventQueueHealthIndicator(
                sqs, properties.queue().name(), properties.store().callTimeout());
    }

    /** Readiness "awsAccess": DOWN after a failure that is the service's fault, not a message's. */
    @Bean
    AwsAccessHealthIndicator awsAccessHealthIndicator() {
        return new AwsAccessHealthIndicator(Clock.systemUTC());
    }

    @Bean
    ListenerHealthIndicator listenerHealthIndicator(
            MessageListenerContainerRegistry containers, StoreCircuit storeCircuit) {
        return new ListenerHealthIndicator(containers, storeCircuit::pausedBecause);
    }

    /** Every SQS call timed, as the DynamoDB and EventBridge calls are where their clients are made. */
    @Bean
    SqsAsyncClientCustomizer sqsCallMetrics(PersisterMetrics metrics) {
        return builder ->
                builder.overrideConfiguration(override -> override.addExecutionInterceptor(metrics.awsCalls()));
    }
}
