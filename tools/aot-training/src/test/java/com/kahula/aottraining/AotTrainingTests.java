package com.kahula.aottraining;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** The stand-in answers the SDK's own clients as AWS would on the way to readiness, and refuses anything else. */
class AotTrainingTests {

    private final StandIn standIn = start();

    @AfterEach
    void stop() {
        standIn.close();
    }

    @Test
    void trainsIntoTheCacheTheCommandNamesLast() {
        assertThat(AotTraining.cacheOutput(
                        List.of("java", "-XX:AOTCacheOutput=first.aot", "-XX:AOTCacheOutput=/app/app.aot", "-jar")))
                .contains(Path.of("/app/app.aot"));
        assertThat(AotTraining.cacheOutput(List.of("java", "-jar", "application.jar")))
                .isEmpty();
    }

    @Test
    void answersTheQueueCallsOfTheVisibilityCheckTheHealthAndTheListener() {
        try (SqsAsyncClient sqs = configure(SqsAsyncClient.builder()).build()) {
            String url = sqs.getQueueUrl(request -> request.queueName("kahula-event-persister-prod"))
                    .join()
                    .queueUrl();
            assertThat(url).startsWith(standIn.endpoint().toString());

            var attributes = sqs.getQueueAttributes(request -> request.queueUrl(url)
                            .attributeNames(
                                    QueueAttributeName.VISIBILITY_TIMEOUT,
                                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                    .join()
                    .attributes();
            assertThat(attributes)
                    .containsEntry(QueueAttributeName.VISIBILITY_TIMEOUT, "43200")
                    .containsEntry(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "0");

            assertThat(sqs.receiveMessage(request -> request.queueUrl(url)
                                    .maxNumberOfMessages(10)
                                    .waitTimeSeconds(20))
                            .join()
                            .messages())
                    .isEmpty();
        }
        assertThat(standIn.answered())
                .containsOnlyKeys("AmazonSQS.GetQueueUrl", "AmazonSQS.GetQueueAttributes", "AmazonSQS.ReceiveMessage");
        assertThat(standIn.refused()).isEmpty();
    }

    @Test
    void describesTheTableAsActive() {
        try (DynamoDbAsyncClient dynamoDb =
                configure(DynamoDbAsyncClient.builder()).build()) {
            assertThat(dynamoDb.describeTable(request -> request.tableName("kahula-events-prod"))
                            .join()
                            .table()
                            .tableStatus())
                    .isEqualTo(TableStatus.ACTIVE);
        }
    }

    @Test
    void acceptsTheMetricsPublicationOfAServiceThatStops() {
        try (CloudWatchAsyncClient cloudWatch =
                configure(CloudWatchAsyncClient.builder()).build()) {
            cloudWatch
                    .putMetricData(request -> request.namespace("event-persister")
                            .metricData(datum -> datum.metricName("persister.events")
                                    .value(1.0)
                                    .unit(StandardUnit.COUNT)))
                    .join();
        }
        assertThat(standIn.answered()).containsKey("/operation/PutMetricData");
    }

    @Test
    void refusesAndCountsEveryOtherCall() {
        try (DynamoDbAsyncClient dynamoDb =
                configure(DynamoDbAsyncClient.builder()).build()) {
            assertThatThrownBy(() -> dynamoDb.putItem(request -> request.tableName("kahula-events-prod")
                                    .item(Map.of("unique_id", AttributeValue.fromS("1"))))
                            .join())
                    .hasCauseInstanceOf(DynamoDbException.class)
                    .cause()
                    .satisfies(error ->
                            assertThat(((DynamoDbException) error).statusCode()).isEqualTo(400));
        }
        assertThat(standIn.refused()).containsEntry("DynamoDB_20120810.PutItem", 1L);
        assertThat(standIn.summary()).contains("refused {DynamoDB_20120810.PutItem=1}");
    }

    private <B extends AwsClientBuilder<B, ?>> B configure(B builder) {
        return builder.endpointOverride(standIn.endpoint())
                .region(Region.of(StandIn.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")));
    }

    private static StandIn start() {
        try {
            return StandIn.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
