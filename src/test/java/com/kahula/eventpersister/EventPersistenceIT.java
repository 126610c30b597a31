package com.kahula.eventpersister;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.kahula.eventpersister.support.EndToEndTest;
import com.kahula.eventpersister.support.SampleEvents;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The core pipeline on the embedded stack: the shared scenarios, and DynamoDB going away, which only it can do. */
class EventPersistenceIT extends EndToEndTest implements EventPersistenceScenarios {

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
}
