package com.kahula.eventpersister.provisioning;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.kahula.eventpersister.config.PersisterProperties;
import com.kahula.eventpersister.store.EventTable;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.RuleState;
import software.amazon.awssdk.services.eventbridge.model.Target;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * Creates what the service runs on, where it is missing: dead-letter queue, queue with its redrive policy, table with
 * its index, bus, and the rule that sends every event of the bus to the queue. The one place that knows this layout,
 * used against LocalStack and the embedded stack; in AWS, ecs/ provisions the same.
 */
public final class AwsProvisioner {

    private static final Logger log = LoggerFactory.getLogger(AwsProvisioner.class);
    private static final String QUEUE_TARGET_ID = "event-persister-queue";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SqsAsyncClient sqs;
    private final DynamoDbAsyncClient dynamoDb;
    private final EventBridgeClient eventBridge;
    private final PersisterProperties properties;

    public AwsProvisioner(
            SqsAsyncClient sqs,
            DynamoDbAsyncClient dynamoDb,
            EventBridgeClient eventBridge,
            PersisterProperties properties) {
        this.sqs = sqs;
        this.dynamoDb = dynamoDb;
        this.eventBridge = eventBridge;
        this.properties = properties;
    }

    /** The rule's name: one rule per queue. */
    public static String ruleName(PersisterProperties properties) {
        return properties.queue().name();
    }

    public void provision() {
        PersisterProperties.Provisioning settings = properties.provisioning();
        String deadLetterArn = queueArn(createQueue(properties.queue().deadLetterName(), Map.of()));
        String queueUrl = createQueue(
                properties.queue().name(),
                Map.of(
                        QueueAttributeName.VISIBILITY_TIMEOUT,
                        String.valueOf(settings.visibilityTimeout().toSeconds()),
                        QueueAttributeName.REDRIVE_POLICY,
                        json(Map.of(
                                "deadLetterTargetArn",
                                deadLetterArn,
                                "maxReceiveCount",
                                String.valueOf(settings.maxReceiveCount())))));
        createTable(properties.table().name());
        createBus(properties.bus().name());
        routeBusToQueue(queueArn(queueUrl), settings.rulePattern());
        log.info(
                "Provisioned queue {} (dead letters: {}), table {}, bus {} with rule {}",
                properties.queue().name(),
                properties.queue().deadLetterName(),
                properties.table().name(),
                properties.bus().name(),
                ruleName(properties));
    }

    private String createQueue(String name, Map<QueueAttributeName, String> attributes) {
        String url;
        try {
            url = sqs.getQueueUrl(request -> request.queueName(name)).join().queueUrl();
        } catch (java.util.concurrent.CompletionException error) {
            if (!(error.getCause() instanceof QueueDoesNotExistException)) {
                throw error;
            }
            url = sqs.createQueue(request -> request.queueName(name)).join().queueUrl();
        }
        if (!attributes.isEmpty()) {
            String queueUrl = url;
            sqs.setQueueAttributes(request -> request.queueUrl(queueUrl).attributes(attributes))
                    .join();
        }
        return url;
    }

    private String queueArn(String queueUrl) {
        return sqs.getQueueAttributes(
                        request -> request.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .join()
                .attributes()
                .get(QueueAttributeName.QUEUE_ARN);
    }

    private void createTable(String name) {
        try {
            dynamoDb.describeTable(request -> request.tableName(name)).join();
        } catch (java.util.concurrent.CompletionException error) {
            if (!(error.getCause() instanceof ResourceNotFoundException)) {
                throw error;
            }
            dynamoDb.createTable(EventTable.createTableRequest(name)).join();
            dynamoDb.waiter()
                    .waitUntilTableExists(request -> request.tableName(name))
                    .join();
        }
    }

    private void createBus(String name) {
        try {
            eventBridge.describeEventBus(request -> request.name(name));
        } catch (software.amazon.awssdk.services.eventbridge.model.ResourceNotFoundException missing) {
            eventBridge.createEventBus(request -> request.name(name));
        }
    }

    private void routeBusToQueue(String queueArn, String pattern) {
        String rule = ruleName(properties);
        eventBridge.putRule(request -> request.name(rule)
                .eventBusName(properties.bus().name())
                .eventPattern(pattern)
                .state(RuleState.ENABLED)
                .description("Every event of the bus to the event persister's queue"));
        eventBridge.putTargets(request -> request.rule(rule)
                .eventBusName(properties.bus().name())
                .targets(Target.builder().id(QUEUE_TARGET_ID).arn(queueArn).build()));
    }

    private static String json(Map<String, String> value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
