package com.kahula.eventpersister.toolkit;

import java.net.URI;
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
 * Where a command finds AWS and the environment's resources, named as the service names them ({@code persister.*}
 * defaults); credentials come from the SDK's default chain (the task role on ECS).
 */
final class AwsOptions {

    @Option(
            names = "--env",
            defaultValue = "${env:PERSISTER_ENV:-dev}",
            description =
                    "The {env} of the table, queue and bus names (default: PERSISTER_ENV, else ${DEFAULT-VALUE}).")
    String env = "dev";

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

    String tableName() {
        return "kahula-events-" + env;
    }

    String queueName() {
        return "kahula-event-persister-" + env;
    }

    /** The service's default, {@code persister.queue.dead-letter-name}: the queue's name and {@code -dlq}. */
    String deadLetterQueueName() {
        return queueName() + "-dlq";
    }

    String busName() {
        return "kahula-events-" + env;
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
