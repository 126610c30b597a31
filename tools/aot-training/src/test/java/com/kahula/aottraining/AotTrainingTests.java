package com.kahula.aottraining;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.kahula.eventpersister.event.EventMapping;
import com.kahula.eventpersister.event.EventParser;
import com.kahula.eventpersister.event.ParseResult;
import com.kahula.eventpersister.event.StoredEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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
import software.amazon.awssdk.services.eventbridge.EventBridgeAsyncClient;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The stand-in answers the SDK's own clients as AWS would on the way to readiness and on the hot path, and refuses
 * anything else.
 */
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
    void deliversItsEventsOnceEachWithTheirChecksumsThenPollsEmpty() throws IOException {
        try (StandIn twelve = StandIn.start(12);
                SqsAsyncClient sqs = configure(SqsAsyncClient.builder(), twelve).build()) {
            List<Message> first = receive(sqs, twelve);
            List<Message> second = receive(sqs, twelve);
            // the SDK checks each body against its MD5OfBody: a wrong checksum fails the receive
            assertThat(first).hasSize(10);
            assertThat(second).hasSize(2);
            assertThat(receive(sqs, twelve)).isEmpty();
            // spring-cloud-aws drops a message whose id is not a UUID
            assertThat(first)
                    .allSatisfy(message ->
                            assertThat(UUID.fromString(message.messageId())).isNotNull());

            EventParser parser = new EventParser(EventMapping.defaults(), 262_144);
            List<ParseResult> parsed = new ArrayList<>();
            first.forEach(message -> parsed.add(parser.parse(message.body(), Instant.now())));
            second.forEach(message -> parsed.add(parser.parse(message.body(), Instant.now())));
            assertThat(parsed).allSatisfy(result -> assertThat(result).isInstanceOf(ParseResult.Parsed.class));
            List<StoredEvent> events = parsed.stream()
                    .map(result -> ((ParseResult.Parsed) result).event())
                    .toList();
            assertThat(events).extracting(StoredEvent::uniqueId).doesNotHaveDuplicates();
            // both follow-up rules' detail-types, and others, as the service's defaults name them
            assertThat(events)
                    .extracting(StoredEvent::eventName)
                    .contains("ProductUpdatedEvent", "OrderValidatedEvent", "ProductCreatedEvent");
        }
    }

    @Test
    void answersTheCallsOfTheHotPathAndCountsTheDeletes() {
        try (SqsAsyncClient sqs = configure(SqsAsyncClient.builder()).build();
                DynamoDbAsyncClient dynamoDb =
                        configure(DynamoDbAsyncClient.builder()).build();
                EventBridgeAsyncClient eventBridge =
                        configure(EventBridgeAsyncClient.builder()).build()) {
            var deleted = sqs.deleteMessageBatch(request -> request.queueUrl(standIn.endpoint() + "/q")
                            .entries(
                                    entry -> entry.id("a").receiptHandle("receipt-0"),
                                    entry -> entry.id("b").receiptHandle("receipt-1")))
                    .join();
            assertThat(deleted.successful()).extracting(entry -> entry.id()).containsExactly("a", "b");
            assertThat(standIn.deleted()).isEqualTo(2);
            // a delete made again (a retried call) deletes nothing more
            sqs.deleteMessageBatch(request -> request.queueUrl(standIn.endpoint() + "/q")
                            .entries(entry -> entry.id("c").receiptHandle("receipt-1")))
                    .join();
            assertThat(standIn.deleted()).isEqualTo(2);

            var published = eventBridge
                    .putEvents(request -> request.entries(
                            entry -> entry.source("s")
                                    .detailType("ValidatableEvent")
                                    .detail("{\"a\":1}"),
                            entry -> entry.source("s")
                                    .detailType("IndexableEvent")
                                    .detail("{\"DetailType\":1}")))
                    .join();
            assertThat(published.failedEntryCount()).isZero();
            assertThat(published.entries())
                    .hasSize(2)
                    .allSatisfy(entry -> assertThat(entry.eventId()).isNotBlank());

            dynamoDb.putItem(request -> request.tableName("t").item(Map.of("unique_id", AttributeValue.fromS("1"))))
                    .join();
            dynamoDb.updateItem(request -> request.tableName("t").key(Map.of("unique_id", AttributeValue.fromS("1"))))
                    .join();
            assertThat(dynamoDb.query(request -> request.tableName("t").indexName("i"))
                            .join()
                            .items())
                    .isEmpty();
        }
        assertThat(standIn.refused()).isEmpty();
    }

    @Test
    void refusesAndCountsEveryOtherCall() {
        try (DynamoDbAsyncClient dynamoDb =
                configure(DynamoDbAsyncClient.builder()).build()) {
            assertThatThrownBy(() -> dynamoDb.deleteItem(request -> request.tableName("kahula-events-prod")
                                    .key(Map.of("unique_id", AttributeValue.fromS("1"))))
                            .join())
                    .hasCauseInstanceOf(DynamoDbException.class)
                    .cause()
                    .satisfies(error ->
                            assertThat(((DynamoDbException) error).statusCode()).isEqualTo(400));
        }
        assertThat(standIn.refused()).containsEntry("DynamoDB_20120810.DeleteItem", 1L);
        assertThat(standIn.summary()).contains("refused {DynamoDB_20120810.DeleteItem=1}");
    }

    private static List<Message> receive(SqsAsyncClient sqs, StandIn from) {
        return sqs.receiveMessage(request -> request.queueUrl(from.endpoint() + "/000000000000/aot-training")
                        .maxNumberOfMessages(10))
                .join()
                .messages();
    }

    private <B extends AwsClientBuilder<B, ?>> B configure(B builder) {
        return configure(builder, standIn);
    }

    private static <B extends AwsClientBuilder<B, ?>> B configure(B builder, StandIn standIn) {
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
