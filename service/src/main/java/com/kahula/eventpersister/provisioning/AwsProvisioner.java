package com.kahula.eventpersister.provisioning;

import com.fasterxml.jackson.databind.ObjectMapper;
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

    public AwsProvisioner(SqsAsyncClient sqs, DynamoDbAsyncClient dynamoDb, EventBridgeClient eventBridge) {
        this.sqs = sqs;
        this.dynamoDb = dynamoDb;
        this.eventBridge = eventBridge;
    }

    /** Creates what is missing of {@code resources}; returns the queue's URL. */
    public String provision(AwsResources resources) {
        String deadLetterArn = queueArn(createQueue(resources.deadLetterQueue(), Map.of()));
        String queueUrl = createQueue(
                resources.queue(),
                Map.of(
                        QueueAttributeName.VISIBILITY_TIMEOUT,
                        String.valueOf(resources.visibilityTimeout().toSeconds()),
                        QueueAttributeName.REDRIVE_POLICY,
                        json(Map.of(
                                "deadLetterTargetArn",
                                deadLetterArn,
                                "maxReceiveCount",
                                String.valueOf(resources.maxReceiveCount())))));
        createTable(resources.table());
        createBus(resources.bus());
        routeBusToQueue(resources, queueArn(queueUrl));
        log.info(
                "Provisioned queue {} (dead letters: {}), table {}, bus {} with rule {}",
                resources.queue(),
                resources.deadLetterQueue(),
                resources.table(),
                resources.bus(),
                resources.rule());
        return queueUrl;
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
        String arn = sqs.getQueueAttributes(
                        request -> request.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .join()
                .attributes()
                .get(QueueAttributeName.QUEUE_ARN);
        if (arn == null) {
            throw new IllegalStateException("the queue " + queueUrl + " has no QueueArn attribute");
        }
        return arn;
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

    private void routeBusToQueue(AwsResources resources, String queueArn) {
        eventBridge.putRule(request -> request.name(resources.rule())
                .eventBusName(resources.bus())
                .eventPattern(resources.rulePattern())
                .state(RuleState.ENABLED)
                .description("Every event of the bus to the event persister's queue"));
        eventBridge.putTargets(request -> request.rule(resources.rule())
                .eventBusName(resources.bus())
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
