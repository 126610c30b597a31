package com.kahula.eventpersister.toolkit;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClientBuilder;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeAsyncClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeAsyncClientBuilder;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Where a command finds AWS and the service's resources: the table, queue, dead-letter queue and bus the service's own
 * configuration names ({@code persister.*} from this jar's application.yml under the {@code PERSISTER_*} variables),
 * each overridable here; credentials come from the SDK's default chain (the task role on ECS).
 */
final class AwsOptions {

    @Option(
            names = "--env",
            defaultValue = "${env:PERSISTER_ENV:-dev}",
            description = "The {env} of the default table, queue and bus names, persister.env (default: PERSISTER_ENV,"
                    + " else ${DEFAULT-VALUE}).")
    String env = "dev";

    @Option(
            names = "--table",
            description = "The table (default: the service's persister.table.name: PERSISTER_TABLE_NAME, else"
                    + " kahula-events-{env}).")
    @Nullable
    String table;

    @Option(
            names = "--queue",
            description = "The service's queue (default: the service's persister.queue.name: PERSISTER_QUEUE_NAME,"
                    + " else kahula-event-persister-{env}).")
    @Nullable
    String queue;

    @Option(
            names = "--dead-letter-queue",
            description = "The dead-letter queue (default: the service's persister.queue.dead-letter-name:"
                    + " PERSISTER_QUEUE_DEAD_LETTER_NAME, else the queue's name and -dlq).")
    @Nullable
    String deadLetterQueue;

    @Option(
            names = "--bus",
            description = "The bus (default: the service's persister.bus.name: PERSISTER_BUS_NAME, else"
                    + " kahula-events-{env}).")
    @Nullable
    String bus;

    @Option(names = "--region", description = "The AWS region (default: the SDK's chain, e.g. AWS_REGION).")
    @Nullable
    String region;

    @Option(
            names = "--endpoint-url",
            defaultValue = "${env:AWS_ENDPOINT_URL}",
            description = "One endpoint for every AWS service, e.g. http://localhost:4566 for the embedded stack"
                    + " or LocalStack (default: AWS_ENDPOINT_URL, else AWS's own).")
    @Nullable
    URI endpointUrl;

    private ServiceSettings.@Nullable Names names;

    String tableName() {
        return names().table();
    }

    String queueName() {
        return names().queue();
    }

    String deadLetterQueueName() {
        return names().deadLetterQueue();
    }

    String busName() {
        return names().bus();
    }

    private ServiceSettings.Names names() {
        if (names == null) {
            names = names(System.getenv());
        }
        return names;
    }

    /** The names the service would use in {@code environment}, under the options given. */
    ServiceSettings.Names names(Map<String, String> environment) {
        Map<String, String> overrides = new HashMap<>();
        overrides.put("persister.env", env);
        putIfGiven(overrides, "persister.table.name", table);
        putIfGiven(overrides, "persister.queue.name", queue);
        putIfGiven(overrides, "persister.queue.dead-letter-name", deadLetterQueue);
        putIfGiven(overrides, "persister.bus.name", bus);
        return ServiceSettings.names(environment, overrides);
    }

    private static void putIfGiven(Map<String, String> overrides, String property, @Nullable String value) {
        if (value != null) {
            overrides.put(property, value);
        }
    }

    DynamoDbClient dynamoDb() {
        return configure(DynamoDbClient.builder()).build();
    }

    /** For the service's own adapters, which call DynamoDB asynchronously. */
    DynamoDbAsyncClientBuilder dynamoDbAsync() {
        return configure(DynamoDbAsyncClient.builder());
    }

    /** For the service's own publisher, which calls EventBridge asynchronously. */
    EventBridgeAsyncClientBuilder eventBridgeAsync() {
        return configure(EventBridgeAsyncClient.builder());
    }

    SqsClient sqs() {
        return configure(SqsClient.builder()).build();
    }

    EventBridgeClient eventBridge() {
        return configure(EventBridgeClient.builder()).build();
    }

    S3Client s3() {
        // path-style addressing where an endpoint is given: emulators have no DNS for bucket host names
        return configure(S3Client.builder()).forcePathStyle(endpointUrl != null).build();
    }

    private <B extends AwsClientBuilder<B, ?>> B configure(B builder) {
        if (region != null) {
            builder.region(Region.of(region));
        }
        if (endpointUrl != null) {
            builder.endpointOverride(endpointUrl);
        }
        return builder;
    }
}
