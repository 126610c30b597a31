package com.kahula.eventpersister.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.kahula.embeddedaws.BusEvent;
import com.kahula.embeddedaws.EmbeddedAwsStack;
import com.kahula.eventpersister.store.EventTable;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/** What a test does to and reads from the AWS stack, with plain SDK clients, as a user of the service would. */
public final class AwsFixture {

    private final SqsClient sqs;
    private final DynamoDbClient dynamoDb;
    private final EventBridgeClient eventBridge;
    /** Reads numbers as written (19.90 stays 19.90), as the service stores them. */
    private static final com.fasterxml.jackson.databind.ObjectMapper EXACT =
            new com.fasterxml.jackson.databind.ObjectMapper()
                    .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                    .setNodeFactory(com.fasterxml.jackson.databind.node.JsonNodeFactory.withExactBigDecimals(true));

    private final Supplier<List<BusEvent>> busEvents;
    private final String env;
    private final List<DeadLetter> deadLetters = new CopyOnWriteArrayList<>();

    /** A message left in a queue, with how often it was received. */
    public record QueuedMessage(String body, int receiveCount) {}

    /** A message found in the dead-letter queue, with the reason the service gave and all its message attributes. */
    public record DeadLetter(
            String body,
            String reason,
            String detail,
            int receiveCount,
            Map<String, MessageAttributeValue> attributes) {}

    /** A follow-up as it came back through the bus rule and was stored: its detail-type, source and detail. */
    public record StoredFollowUp(String detailType, String source, JsonNode detail) {}

    /** On the embedded stack, whose EventBridge emulator records every event the bus accepted. */
    public AwsFixture(EmbeddedAwsStack stack, String env) {
        this(stack.endpoint(), env, () -> stack.eventBridge().acceptedEvents());
    }

    /** On another stack (LocalStack): what was on the bus can only be seen through the table. */
    public AwsFixture(URI endpoint, String env) {
        this(endpoint, env, null);
    }

    private AwsFixture(URI endpoint, String env, Supplier<List<BusEvent>> busEvents) {
        this.busEvents = busEvents;
        this.env = env;
        var credentials = StaticCredentialsProvider.create(
                AwsBasicCredentials.create(EmbeddedAwsStack.ACCESS_KEY, EmbeddedAwsStack.SECRET_KEY));
        Region region = Region.of(EmbeddedAwsStack.REGION);
        sqs = SqsClient.builder()
                .endpointOverride(endpoint)
                .region(region)
                .credentialsProvider(credentials)
                .build();
        dynamoDb = DynamoDbClient.builder()
                .endpointOverride(endpoint)
                .region(region)
                .credentialsProvider(credentials)
                .build();
        eventBridge = EventBridgeClient.builder()
                .endpointOverride(endpoint)
                .region(region)
                .credentialsProvider(credentials)
                .build();
    }

    public String tableName() {
        return "kahula-events-" + env;
    }

    public String busName() {
        return "kahula-events-" + env;
    }

    public String queueName() {
        return "kahula-event-persister-" + env;
    }

    public String deadLetterQueueName() {
        return queueName() + "-dlq";
    }

    /**
     * Publishes through the bus, ten entries a call, and fails the test if the bus refused any; returns the id the bus
     * gave each entry, in their order: the {@code id} of the event it delivers.
     */
    public List<String> publish(List<PutEventsRequestEntry> entries) {
        List<String> eventIds = new java.util.ArrayList<>(entries.size());
        for (int from = 0; from < entries.size(); from += 10) {
            List<PutEventsRequestEntry> chunk = entries.subList(from, Math.min(from + 10, entries.size())).stream()
                    .map(entry -> entry.toBuilder().eventBusName(busName()).build())
                    .toList();
            PutEventsResponse response = eventBridge.putEvents(request -> request.entries(chunk));
            if (response.failedEntryCount() > 0) {
                throw new AssertionError("the bus refused entries: " + response.entries());
            }
            response.entries().forEach(entry -> eventIds.add(entry.eventId()));
        }
        return eventIds;
    }

    /** Sends a body straight to the service's queue, as the bus rule would deliver it. */
    public void sendToQueue(String body) {
        sendToQueue(body, Map.of());
    }

    /** Sends a body with message attributes to the service's queue, as the toolkit's restore does. */
    public void sendToQueue(String body, Map<String, MessageAttributeValue> attributes) {
        sqs.sendMessage(request ->
                request.queueUrl(queueUrl(queueName())).messageBody(body).messageAttributes(attributes));
    }

    /** Sends a body to the service's queue with an X-Ray trace header, as the bus rule delivers a traced event. */
    public void sendToQueueWithTraceHeader(String body, String awsTraceHeader) {
        sqs.sendMessage(request -> request.queueUrl(queueUrl(queueName()))
                .messageBody(body)
                .messageSystemAttributes(Map.of(
                        software.amazon.awssdk.services.sqs.model.MessageSystemAttributeNameForSends.AWS_TRACE_HEADER,
                        software.amazon.awssdk.services.sqs.model.MessageSystemAttributeValue.builder()
                                .dataType("String")
                                .stringValue(awsTraceHeader)
                                .build())));
    }

    /** Whether this stack shows every event its bus accepted (the embedded one does, LocalStack does not). */
    public boolean recordsBusEvents() {
        return busEvents != null;
    }

    /** Every event the bus accepted; only where {@link #recordsBusEvents()}. */
    public List<BusEvent> busEvents() {
        if (busEvents == null) {
            throw new IllegalStateException("this stack does not record the events on its bus");
        }
        return busEvents.get().stream()
                .filter(event -> event.busName().equals(busName()))
                .toList();
    }

    /** The follow-ups the bus accepted that the event stored as {@code uniqueId} caused. */
    public List<BusEvent> followUpsOf(String uniqueId) {
        return busEvents().stream()
                .filter(event ->
                        uniqueId.equals(event.detail().path("causationId").asText(null)))
                .toList();
    }

    /** The follow-ups of {@code uniqueId} that came back through the bus rule and were stored, read from the table. */
    public List<StoredFollowUp> storedFollowUpsOf(String uniqueId) {
        List<StoredFollowUp> found = new java.util.ArrayList<>();
        Map<String, AttributeValue> from = null;
        do {
            Map<String, AttributeValue> start = from;
            var page = dynamoDb.scan(request -> request.tableName(tableName())
                    .filterExpression("contains(payload, :causation)")
                    .expressionAttributeValues(
                            Map.of(":causation", AttributeValue.fromS("\"causationId\":\"" + uniqueId + "\"")))
                    .exclusiveStartKey(start));
            for (var item : page.items()) {
                found.add(new StoredFollowUp(
                        item.get("detail_type").s(),
                        item.get("source").s(),
                        parse(item.get("payload").s())));
            }
            from = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (from != null);
        return found;
    }

    private static JsonNode parse(String json) {
        try {
            return EXACT.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The row's attribute as text, or null. */
    public String column(String uniqueId, String name) {
        return row(uniqueId).map(row -> row.get(name)).map(AttributeValue::s).orElse(null);
    }

    public boolean queueExists() {
        try {
            queueUrl(queueName());
            return true;
        } catch (software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException missing) {
            return false;
        }
    }

    /** Sends to the service's queue, ten a call. */
    public void sendAllToQueue(List<String> bodies) {
        sendAllToQueueReturningIds(bodies);
    }

    /** Sends to the service's queue, ten a call; returns the message id SQS gave each body, in their order. */
    public List<String> sendAllToQueueReturningIds(List<String> bodies) {
        List<String> messageIds = new ArrayList<>(bodies.size());
        String url = queueUrl(queueName());
        for (int from = 0; from < bodies.size(); from += 10) {
            List<String> chunk = bodies.subList(from, Math.min(from + 10, bodies.size()));
            var entries =
                    new java.util.ArrayList<software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry>();
            for (int i = 0; i < chunk.size(); i++) {
                entries.add(software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry.builder()
                        .id(String.valueOf(i))
                        .messageBody(chunk.get(i))
                        .build());
            }
            var response = sqs.sendMessageBatch(request -> request.queueUrl(url).entries(entries));
            if (!response.failed().isEmpty()) {
                throw new AssertionError("the queue refused messages: " + response.failed());
            }
            Map<String, String> byEntry = new HashMap<>();
            response.successful().forEach(sent -> byEntry.put(sent.id(), sent.messageId()));
            for (int i = 0; i < chunk.size(); i++) {
                messageIds.add(byEntry.get(String.valueOf(i)));
            }
        }
        return messageIds;
    }

    public int rowCount() {
        int count = 0;
        Map<String, AttributeValue> from = null;
        do {
            Map<String, AttributeValue> start = from;
            var page = dynamoDb.scan(request -> request.tableName(tableName())
                    .select(software.amazon.awssdk.services.dynamodb.model.Select.COUNT)
                    .exclusiveStartKey(start));
            count += page.count();
            from = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (from != null);
        return count;
    }

    public int messagesInFlight() {
        return Integer.parseInt(sqs.getQueueAttributes(request -> request.queueUrl(queueUrl(queueName()))
                        .attributeNames(
                                software.amazon.awssdk.services.sqs.model.QueueAttributeName
                                        .APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                .attributes()
                .get(
                        software.amazon.awssdk.services.sqs.model.QueueAttributeName
                                .APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    /** Receives and deletes everything left in the service's queue. */
    public List<QueuedMessage> drainQueue() {
        String url = queueUrl(queueName());
        List<QueuedMessage> left = new java.util.ArrayList<>();
        List<Message> received;
        do {
            received = sqs.receiveMessage(request -> request.queueUrl(url)
                            .maxNumberOfMessages(10)
                            .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT))
                    .messages();
            for (Message message : received) {
                left.add(new QueuedMessage(
                        message.body(),
                        Integer.parseInt(message.attributes()
                                .getOrDefault(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, "0"))));
                sqs.deleteMessage(request -> request.queueUrl(url).receiptHandle(message.receiptHandle()));
            }
        } while (!received.isEmpty());
        return left;
    }

    public Optional<Map<String, AttributeValue>> row(String uniqueId) {
        var response = dynamoDb.getItem(request -> request.tableName(tableName())
                .key(Map.of("unique_id", AttributeValue.fromS(uniqueId)))
                .consistentRead(true));
        return response.hasItem() && !response.item().isEmpty() ? Optional.of(response.item()) : Optional.empty();
    }

    /** Deletes the events table, as an operator's mistake would. */
    public void deleteTable() {
        dynamoDb.deleteTable(request -> request.tableName(tableName()));
        dynamoDb.waiter().waitUntilTableNotExists(request -> request.tableName(tableName()));
    }

    /** Creates the events table as the service expects it. */
    public void createTable() {
        dynamoDb.createTable(EventTable.createTableRequest(tableName()));
        dynamoDb.waiter().waitUntilTableExists(request -> request.tableName(tableName()));
    }

    /** Reads what arrived in the dead-letter queue since the last call, and returns all read so far. */
    public List<DeadLetter> deadLetters() {
        String url = queueUrl(deadLetterQueueName());
        List<Message> received;
        do {
            received = sqs.receiveMessage(request -> request.queueUrl(url)
                            .maxNumberOfMessages(10)
                            .messageAttributeNames("All")
                            .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT))
                    .messages();
            for (Message message : received) {
                deadLetters.add(new DeadLetter(
                        message.body(),
                        attribute(message, "persister-error"),
                        attribute(message, "persister-error-detail"),
                        Integer.parseInt(message.attributes()
                                .getOrDefault(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, "0")),
                        message.messageAttributes()));
                sqs.deleteMessage(request -> request.queueUrl(url).receiptHandle(message.receiptHandle()));
            }
        } while (!received.isEmpty());
        return List.copyOf(deadLetters);
    }

    public Optional<DeadLetter> deadLetterContaining(String marker) {
        return deadLetters().stream()
                .filter(letter -> letter.body().contains(marker))
                .findFirst();
    }

    private String queueUrl(String name) {
        return sqs.getQueueUrl(request -> request.queueName(name)).queueUrl();
    }

    private static String attribute(Message message, String name) {
        MessageAttributeValue value = message.messageAttributes().get(name);
        return value == null ? null : value.stringValue();
    }
}
