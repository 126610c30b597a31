package com.kahula.eventpersister.config;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/**
 * Starts one read on the queue's and the table's client as soon as Spring has made each, and lets it run in the
 * background while the context goes on creating beans. A client's first call loads and links a few thousand classes
 * (the protocol's marshalling, signing, the Netty pipeline) and opens a connection; made here, that work runs on the
 * second core instead of on the start-up's critical path: the listener's first GetQueueUrl, the visibility check and
 * the first readiness check then find it done (what it saves: docs/performance.md).
 *
 * <p>The reads are GetQueueUrl and DescribeTable, which readiness makes anyway, so they need no permission beyond the
 * service's; their answers and failures are not used (readiness reports on the resources). Off when the service
 * provisions its own resources: they may not exist yet, and provisioning makes the first calls itself.
 */
final class AwsCallWarmUp implements BeanPostProcessor {

    private final ObjectProvider<PersisterProperties> properties;

    AwsCallWarmUp(ObjectProvider<PersisterProperties> properties) {
        this.properties = properties;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof SqsAsyncClient || bean instanceof DynamoDbAsyncClient) {
            PersisterProperties settings = properties.getObject();
            if (!settings.provisioning().enabled()) {
                if (bean instanceof SqsAsyncClient sqs) {
                    sqs.getQueueUrl(
                            request -> request.queueName(settings.queue().name()));
                } else if (bean instanceof DynamoDbAsyncClient dynamoDb) {
                    dynamoDb.describeTable(
                            request -> request.tableName(settings.table().name()));
                }
            }
        }
        return bean;
    }
}
