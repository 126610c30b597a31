package com.kahula.eventpersister;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.kahula.eventpersister.support.EndToEndTest;
import com.kahula.eventpersister.support.IoThreadProbe;
import com.kahula.eventpersister.support.SampleEvents;
import io.awspring.cloud.sqs.listener.MessageListenerContainer;
import io.awspring.cloud.sqs.listener.MessageListenerContainerRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeAsyncClient;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/** The core pipeline on the embedded stack: the shared scenarios, and DynamoDB going away, which only it can do. */
class EventPersistenceIT extends EndToEndTest implements EventPersistenceScenarios {

    @Autowired
    MessageListenerContainerRegistry containers;

    @Autowired
    DynamoDbAsyncClient dynamoDb;

    @Autowired
    EventBridgeAsyncClient eventBridge;

    @Autowired
    SqsAsyncClient sqs;

    @Test
    void timesTheStoresAndTheBussAttemptsOutOnTheServicesOneScheduler() throws Exception {
        for (SdkClient client : List.of(dynamoDb, eventBridge)) {
            ScheduledExecutorService timeouts = client.serviceClientConfiguration()
                    .overrideConfiguration()
                    .scheduledExecutorService()
                    .orElseThrow();
            assertThat(timeouts.schedule(() -> Thread.currentThread().getName(), 0, TimeUnit.MILLISECONDS)
                            .get(5, TimeUnit.SECONDS))
                    .as(client.serviceName())
                    .isEqualTo("aws-scheduler");
        }
    }

    @Test
    void readsEveryAwsClientsResponsesOnTheServicesOneEventLoop() {
        // each a call AWS answers with an error (no such queue, table or bus): the response is read all the same
        String queue = IoThreadProbe.PROBE + "-queue";
        String table = IoThreadProbe.PROBE + "-table";
        String bus = IoThreadProbe.PROBE + "-bus";
        sqs.getQueueUrl(request -> request.queueName(queue))
                .exceptionally(error -> null)
                .join();
        dynamoDb.describeTable(request -> request.tableName(table))
                .exceptionally(error -> null)
                .join();
        eventBridge
                .describeEventBus(request -> request.name(bus))
                .exceptionally(error -> null)
                .join();

        assertThat(List.of(queue, table, bus))
                .allSatisfy(call ->
                        assertThat(IoThreadProbe.threadOf(call)).as(call).isEqualTo("aws-io-0"));
    }

    @Test
    void storesEveryEventOnceWhileDynamoDbIsUnavailableForAWhile() {
        List<ObjectNode> details = IntStream.range(0, 40)
                .mapToObj(i -> SampleEvents.detail(DOMAINS[i % DOMAINS.length]))
                .toList();
        double failedBefore = events("failed");

        STACK.pauseDynamoDb();
        try {
            details.forEach(detail -> AWS.sendToQueue(SampleEvents.envelope("OrderPlacedEvent", detail)));
            await().atMost(Duration.ofSeconds(30)).until(() -> events("failed") > failedBefore);
        } finally {
            STACK.resumeDynamoDb();
        }

        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(details)
                        .allSatisfy(detail ->
                                assertThat(AWS.row(detail.get("id").asText())).isPresent()));
        assertThat(AWS.deadLetters())
                .noneMatch(letter -> details.stream()
                        .anyMatch(d -> letter.body().contains(d.get("id").asText())));
    }

    @Test
    void acknowledgesTheWholeBatchWhenSqsDeliversOneMessageTwiceInIt() {
        List<ObjectNode> details = IntStream.range(0, 6)
                .mapToObj(i -> SampleEvents.detail("pricing"))
                .toList();
        awaitQuiet();
        double duplicatesBefore = events("duplicate");
        double storedBefore = events("stored");

        // Queued while the listener is stopped, so that its first receive returns them together.
        containers.getListenerContainers().forEach(MessageListenerContainer::stop);
        try {
            AWS.sendAllToQueue(details.stream()
                    .map(detail -> SampleEvents.envelope("com.kahula.pricing.PriceChangedEvent", detail))
                    .toList());
            STACK.duplicateFirstMessageOfNextReceives(1);
        } finally {
            containers.getListenerContainers().forEach(MessageListenerContainer::start);
        }

        await().untilAsserted(() -> assertThat(events("stored")).isEqualTo(storedBefore + details.size()));
        // Redeliveries would come back after the queue's visibility timeout and count as duplicates.
        awaitQuiet();
        assertThat(events("duplicate"))
                .as("the copy in the batch, and nothing redelivered")
                .isEqualTo(duplicatesBefore + 1);
        assertThat(AWS.messagesInFlight()).isZero();
    }
}
