package com.kahula.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/** The chaos soak's messages, the poison mixed in, sent to the queue over the schedule and paused during a kill. */
final class ChaosProducer {

    private static final int BATCH = 10;

    private final Random random = new Random(23);
    private final List<String> bodies;
    private final Map<String, String> poisonReasons = new HashMap<>();
    private final Map<String, String> poisonMessageIds = new ConcurrentHashMap<>();
    // from a kill's freeze until the next process is ready: the producer waits
    private volatile boolean paused;

    ChaosProducer(List<BenchMessages.Sent> sent, List<ChaosLedger.Poison> poison) {
        bodies = new ArrayList<>(sent.stream().map(BenchMessages.Sent::body).toList());
        poison.forEach(injected -> bodies.add(random.nextInt(bodies.size()), injected.body()));
        poison.forEach(injected -> poisonReasons.put(injected.body(), injected.reason()));
    }

    /** Messages that can never be stored: not JSON, and an event whose producer id is over DynamoDB's key limit. */
    static List<ChaosLedger.Poison> poison(int count) {
        List<ChaosLedger.Poison> poison = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String token = UUID.randomUUID().toString();
            if (i % 2 == 0) {
                poison.add(new ChaosLedger.Poison("not json " + token, "not-json", null));
            } else {
                String producerId = token + "x".repeat(3000);
                poison.add(new ChaosLedger.Poison(
                        ("{\"version\":\"0\",\"id\":\"%s\",\"detail-type\":\"com.kahula.chaos.PoisonEvent\","
                                        + "\"source\":\"kahula.chaos\",\"time\":\"2026-11-27T10:00:00Z\","
                                        + "\"detail\":{\"id\":\"%s\"}}")
                                .formatted(token, producerId),
                        "store-rejected",
                        producerId));
            }
        }
        return poison;
    }

    /** How many messages it sends, the poison included. */
    int messages() {
        return bodies.size();
    }

    /** Sends the messages on a thread of its own; see {@link #send}. */
    Thread start(SqsClient sqs, String queueUrl, Duration spread) {
        return Thread.ofPlatform().name("chaos-producer").start(() -> send(sqs, queueUrl, spread));
    }

    /** Holds the sending from a kill's freeze until the next process is ready. */
    void pause() {
        paused = true;
    }

    void resume() {
        paused = false;
    }

    /** The reason each poison message must be parked with, by body. */
    Map<String, String> poisonReasons() {
        return poisonReasons;
    }

    /** The id the queue gave each poison message, by body. */
    Map<String, String> poisonMessageIds() {
        return poisonMessageIds;
    }

    /**
     * Sends the messages in batches, spread evenly over {@code spread} of the schedule's own time: paused from a kill's
     * freeze until the new process is ready, so that the later faults and kills still find messages flowing.
     */
    private void send(SqsClient sqs, String queueUrl, Duration spread) {
        long start = System.nanoTime();
        long pausedFor = 0;
        for (int from = 0; from < bodies.size(); from += BATCH) {
            long due = start + spread.toNanos() * from / bodies.size();
            while (System.nanoTime() < due + pausedFor || paused) {
                long before = System.nanoTime();
                Bench.sleep(Duration.ofMillis(5));
                if (paused) {
                    pausedFor += System.nanoTime() - before;
                }
            }
            List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
            for (int i = from; i < Math.min(from + BATCH, bodies.size()); i++) {
                entries.add(SendMessageBatchRequestEntry.builder()
                        .id(Integer.toString(i))
                        .messageBody(bodies.get(i))
                        .build());
            }
            SendMessageBatchResponse response =
                    sqs.sendMessageBatch(r -> r.queueUrl(queueUrl).entries(entries));
            if (!response.failed().isEmpty()) {
                throw new IllegalStateException("the queue refused messages: " + response.failed());
            }
            response.successful().forEach(entry -> {
                String body = bodies.get(Integer.parseInt(entry.id()));
                if (poisonReasons.containsKey(body)) {
                    poisonMessageIds.put(body, entry.messageId());
                }
            });
        }
        Bench.log("chaos: all %d messages sent".formatted(bodies.size()));
    }
}
