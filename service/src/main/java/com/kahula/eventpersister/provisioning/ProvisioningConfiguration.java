package com.kahula.eventpersister.provisioning;

import com.kahula.eventpersister.config.PersisterProperties;
import io.awspring.cloud.autoconfigure.core.AwsClientBuilderConfigurer;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/**
 * Provisions the queues, table, bus and rule at start-up when {@code persister.provisioning.enabled} is true (local
 * profile): before the listener starts polling, since listener containers start after singletons are initialized.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "persister.provisioning.enabled", havingValue = "true")
class ProvisioningConfiguration {

    @Bean
    SmartInitializingSingleton provisionAtStartup(
            AwsClientBuilderConfigurer configurer,
            SqsAsyncClient sqs,
            DynamoDbAsyncClient dynamoDb,
            PersisterProperties properties) {
        return () -> {
            try (EventBridgeClient eventBridge =
                    configurer.configure(EventBridgeClient.builder()).build()) {
                new AwsProvisioner(sqs, dynamoDb, eventBridge).provision(resources(properties));
            }
        };
    }

    static AwsResources resources(PersisterProperties properties) {
        PersisterProperties.Provisioning provisioning = properties.provisioning();
        return new AwsResources(
                properties.queue().name(),
                properties.queue().deadLetterName(),
                provisioning.visibilityTimeout(),
                provisioning.maxReceiveCount(),
                properties.table().name(),
                properties.bus().name(),
                provisioning.rulePattern());
    }
}
