package com.kahula.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.kahula.embeddedaws.BusEvent;
import com.kahula.embeddedaws.EmbeddedAwsStack;
import com.kahula.eventpersister.store.EventTable;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** What the chaos soak ends with, read past the gateway for the ledger: the drain, table, dead letters, measures. */
final class ChaosReadings {

    private static final Duration QUIET_FOR = Duration.ofSeconds(10);
    private static final Duration DRAINED_WITHIN = Duration.ofMinutes(15);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final EmbeddedAwsStack stack;
    private final SqsClient sqs;
    private final DynamoDbClient dynamoDb;

    ChaosReadings(EmbeddedAwsStack stack, SqsClient sqs, DynamoDbClient dynamoDb) {
        this.stack = stack;
        this.sqs = sqs;
        this.dynamoDb = dynamoDb;
    }

    /**
     * Until the queue holds nothing, visible or in flight, and the outbox no pending follow-up, for {@link #QUIET_FOR}
     * in a row: what a lost mark left PENDING, the sweeper sends after its grace period, with nothing done by hand.
     */
    void awaitDrained(String queueUrl) {
        long quietSince = System.nanoTime();
        long deadline = System.nanoTime() + DRAINED_WITHIN.toNanos();
        while (System.nanoTime() - quietSince < QUIET_FOR.toNanos()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the queue and the outbox did not drain within %d minutes"
                        .formatted(DRAINED_WITHIN.toMinutes()));
            }
            Map<QueueAttributeName, String> depth = sqs.getQueueAttributes(r -> r.queueUrl(queueUrl)
                            .attributeNames(
                                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                    .attributes();
            if (!"0".equals(depth.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                    || !"0".equals(depth.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                    || anyFollowUpPending()) {
                quietSince = System.nanoTime();
            }
            Bench.sleep(Duration.ofSeconds(1));
        }
    }

    /** Whether any of the outbox index's pending shards holds an entry. */
    private boolean anyFollowUpPending() {
        for (int shard = 0; shard < EventTable.OUTBOX_SHARDS; shard++) {
            String key = EventTable.pendingShard(shard);
            if (dynamoDb.query(r -> r.tableName(ChaosOptions.TABLE)
                                    .indexName(EventTable.OUTBOX_INDEX)
                                    .keyConditionExpression(EventTable.FOLLOW_UP_OUTBOX + " = :shard")
                                    .expressionAttributeValues(Map.of(":shard", AttributeValue.fromS(key)))
                                    .limit(1))
                            .count()
                    > 0) {
                return true;
            }
        }
        return false;
    }

    /** Every item of the table, by unique id. */
    Map<String, Map<String, AttributeValue>> table() {
        Map<String, Map<String, AttributeValue>> items = new HashMap<>();
        dynamoDb.scanPaginator(r -> r.tableName(ChaosOptions.TABLE))
                .items()
                .forEach(item -> items.put(item.get("unique_id").s(), item));
        return items;
    }

    /** Every dead letter's body and reason, each taken off the dead-letter queue. */
    List<Map.Entry<String, String>> deadLetters() {
        String url =
                sqs.getQueueUrl(r -> r.queueName(ChaosOptions.QUEUE + "-dlq")).queueUrl();
        List<Map.Entry<String, String>> letters = new ArrayList<>();
        List<Message> received;
        do {
            received = sqs.receiveMessage(
                            r -> r.queueUrl(url).maxNumberOfMessages(10).messageAttributeNames("All"))
                    .messages();
            for (Message message : received) {
                var reason = message.messageAttributes().get("persister-error");
                letters.add(Map.entry(message.body(), reason == null ? "(none)" : reason.stringValue()));
                sqs.deleteMessage(r -> r.queueUrl(url).receiptHandle(message.receiptHandle()));
            }
        } while (!received.isEmpty());
        return letters;
    }

    /** What the gateway and the bus measured, with the service's counts and the kills', for the counter bounds. */
    ChaosLedger.Measured measured(ChaosProducer producer, ServiceCounters counted, ChaosKiller killer) {
        Map<String, String> poisonReasons = producer.poisonReasons();
        Map<String, Integer> deliveries = stack.deliveries();
        Map<String, Long> poisonDeliveries = new HashMap<>();
        producer.poisonMessageIds()
                .forEach((body, messageId) -> poisonDeliveries.merge(
                        poisonReasons.get(body), (long) deliveries.getOrDefault(messageId, 0), Long::sum));
        Map<String, List<String>> busIds = new HashMap<>();
        for (BusEvent accepted : stack.eventBridge().acceptedEvents()) {
            if (accepted.source().equals(ChaosLedger.FOLLOW_UP_SOURCE)) {
                busIds.computeIfAbsent(accepted.detail().path("id").asText(), id -> new ArrayList<>())
                        .add(busId(accepted.envelope()));
            }
        }
        Map<String, Long> unanswered = new HashMap<>(stack.heldAcceptedEntries());
        stack.slowAcceptedEntries().forEach((type, slow) -> unanswered.merge(type, slow, Long::sum));
        return new ChaosLedger.Measured(
                stack.delivered(),
                poisonDeliveries,
                busIds,
                unanswered,
                counted.get(ServiceCounters.Count.PUT_ITEM_ERRORS),
                stack.conditionFailedPutItems(),
                killer.putItemsInFlightAtKills(),
                killer.followUpsHeardByKilledProcesses());
    }

    private static String busId(String envelope) {
        try {
            return JSON.readTree(envelope).path("id").asText();
        } catch (IOException e) {
            throw new IllegalStateException("the bus recorded an envelope that is not JSON", e);
        }
    }
}
