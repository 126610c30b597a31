package com.kahula.embeddedaws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** What passed through the gateway, counted for tests: PutItems, accepted PutEvents entries and SQS deliveries. */
final class GatewayTraffic {

    /** An entry PutEvents accepted: its detail-type, and its detail's {@code id} (empty when it has none). */
    record AcceptedEntry(String detailType, String detailId) {}

    private static final ObjectMapper JSON = new ObjectMapper();
    // An answer at least this late counts as slow: a caller that times out its calls may not have heard it.
    private static final Duration SLOW_ANSWER = Duration.ofSeconds(1);

    private final AtomicInteger putItemsInFlight = new AtomicInteger();
    private final LongAdder conditionFailedPutItems = new LongAdder();
    private final Map<String, LongAdder> heldAcceptedEntries = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> slowAcceptedEntries = new ConcurrentHashMap<>();
    private final Set<String> answeredDetailIds = ConcurrentHashMap.newKeySet();
    private volatile String deliveriesOf;
    private final Map<String, Integer> deliveries = new ConcurrentHashMap<>();
    private final LongAdder delivered = new LongAdder();

    void putItemStarted() {
        putItemsInFlight.incrementAndGet();
    }

    void putItemEnded() {
        putItemsInFlight.decrementAndGet();
    }

    int putItemsInFlight() {
        return putItemsInFlight.get();
    }

    /** Counts a PutItem that DynamoDB answered with ConditionalCheckFailedException. */
    void putItemAnswered(int status, byte[] answer) {
        if (status == 400 && new String(answer, StandardCharsets.UTF_8).contains("ConditionalCheckFailedException")) {
            conditionFailedPutItems.increment();
        }
    }

    long conditionFailedPutItems() {
        return conditionFailedPutItems.sum();
    }

    /** Counts the entries whose answer a gate holds. */
    void answerHeld(List<AcceptedEntry> accepted) {
        count(heldAcceptedEntries, accepted);
    }

    /** Records the entries whose answer leaves now, counting them as slow if the request came long ago. */
    void answered(List<AcceptedEntry> accepted, long receivedNanos) {
        if (System.nanoTime() - receivedNanos > SLOW_ANSWER.toNanos()) {
            count(slowAcceptedEntries, accepted);
        }
        accepted.forEach(entry -> answeredDetailIds.add(entry.detailId()));
    }

    Map<String, Long> heldAcceptedEntries() {
        return sums(heldAcceptedEntries);
    }

    Map<String, Long> slowAcceptedEntries() {
        return sums(slowAcceptedEntries);
    }

    /** The detail ids of the entries whose acceptance was answered, not held, since the last call; forgets them. */
    Set<String> takeAnsweredDetailIds() {
        Set<String> taken = new HashSet<>();
        for (String id : answeredDetailIds) {
            if (answeredDetailIds.remove(id)) {
                taken.add(id);
            }
        }
        return taken;
    }

    /** Counts, from now on, each message that ReceiveMessage answers on the queue named {@code queueName}, by its id. */
    void recordDeliveries(String queueName) {
        deliveries.clear();
        delivered.reset();
        deliveriesOf = queueName;
    }

    Map<String, Integer> deliveries() {
        return Map.copyOf(deliveries);
    }

    long delivered() {
        return delivered.sum();
    }

    /** Counts the messages of a ReceiveMessage answer if its queue is the recorded one. */
    void received(byte[] request, byte[] response) {
        String queueName = deliveriesOf;
        if (queueName == null) {
            return;
        }
        try {
            if (!JSON.readTree(request).path("QueueUrl").asText().endsWith("/" + queueName)) {
                return;
            }
            for (JsonNode message : JSON.readTree(response).path("Messages")) {
                deliveries.merge(message.path("MessageId").asText(), 1, Integer::sum);
                delivered.increment();
            }
        } catch (IOException e) {
            // not the JSON protocol: nothing recorded
        }
    }

    /** The entries a PutEvents answer accepted: the answer's entries are the request's, in order. */
    static List<AcceptedEntry> acceptedEntries(byte[] putEventsRequest, byte[] putEventsAnswer) {
        try {
            JsonNode sent = JSON.readTree(putEventsRequest).path("Entries");
            JsonNode answered = JSON.readTree(putEventsAnswer).path("Entries");
            List<AcceptedEntry> accepted = new ArrayList<>();
            for (int i = 0; i < answered.size(); i++) {
                if (answered.get(i).has("EventId")) {
                    JsonNode entry = sent.path(i);
                    accepted.add(new AcceptedEntry(
                            entry.path("DetailType").asText(),
                            JSON.readTree(entry.path("Detail").asText("{}"))
                                    .path("id")
                                    .asText()));
                }
            }
            return accepted;
        } catch (IOException e) {
            return List.of();
        }
    }

    private static void count(Map<String, LongAdder> counts, List<AcceptedEntry> accepted) {
        accepted.forEach(entry -> counts.computeIfAbsent(entry.detailType(), type -> new LongAdder())
                .increment());
    }

    private static Map<String, Long> sums(Map<String, LongAdder> counts) {
        Map<String, Long> sums = new TreeMap<>();
        counts.forEach((type, count) -> sums.put(type, count.sum()));
        return sums;
    }
}
