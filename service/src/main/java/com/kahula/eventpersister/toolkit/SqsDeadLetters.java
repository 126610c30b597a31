package com.kahula.eventpersister.toolkit;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;

/**
 * The dead-letter queue through SQS, read without consuming: every message received stays hidden from other readers
 * for {@code hold} and is made visible again by {@link #close()} (also run by a shutdown hook on SIGTERM); only {@link
 * #move} deletes one, after the source queue took its copy.
 */
final class SqsDeadLetters implements AutoCloseable {

    private static final int MAX_PER_CALL = 10;

    private final SqsClient sqs;
    private final String deadLetterQueueUrl;
    private final String sourceQueueName;
    private final Duration hold;
    // message id -> receipt handle of the messages received and still hidden by this reader
    private final Map<String, String> held = new ConcurrentHashMap<>();
    private final Thread releaseOnExit;
    private volatile String sourceQueueUrl = "";

    SqsDeadLetters(SqsClient sqs, String deadLetterQueueName, String sourceQueueName, Duration hold) {
        if (hold.isNegative() || hold.isZero() || hold.compareTo(Duration.ofHours(12)) > 0) {
            throw new IllegalArgumentException("the hold is above 0 and at most 12 hours (SQS's limit), was " + hold);
        }
        this.sqs = sqs;
        this.deadLetterQueueUrl = sqs.getQueueUrl(request -> request.queueName(deadLetterQueueName))
                .queueUrl();
        this.sourceQueueName = sourceQueueName;
        this.hold = hold;
        this.releaseOnExit = Thread.ofPlatform().unstarted(this::release);
        Runtime.getRuntime().addShutdownHook(releaseOnExit);
    }

    /** SQS's approximate count of the messages visible in the queue now. */
    long approximateVisible() {
        return Long.parseLong(sqs.getQueueAttributes(request -> request.queueUrl(deadLetterQueueUrl)
                        .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                .attributes()
                .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
    }

    /**
     * Reads the queue until a receive finds nothing new, handing each message to {@code each} once, in the order
     * received; {@code each} answers whether to read on. The messages stay hidden until {@link #close()}.
     */
    void read(Predicate<DeadLetter> each) {
        while (true) {
            ReceiveMessageResponse received = sqs.receiveMessage(request -> request.queueUrl(deadLetterQueueUrl)
                    .maxNumberOfMessages(MAX_PER_CALL)
                    .visibilityTimeout(Math.toIntExact(hold.toSeconds()))
                    // a long poll asks every SQS server, so an empty answer means the queue holds nothing visible
                    .waitTimeSeconds(1)
                    .messageAttributeNames("All")
                    .messageSystemAttributeNames(
                            MessageSystemAttributeName.SENT_TIMESTAMP,
                            MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT));
            boolean anyNew = false;
            for (Message message : received.messages()) {
                if (held.put(message.messageId(), message.receiptHandle()) == null) {
                    anyNew = true;
                    if (!each.test(deadLetter(message))) {
                        return;
                    }
                }
            }
            if (!anyNew) {
                return;
            }
        }
    }

    /**
     * Sends the message to the source queue with the attributes it arrived with, then deletes it here: a stop in
     * between leaves it on both queues, never on neither.
     */
    void move(DeadLetter letter) {
        String receipt = held.get(letter.messageId());
        if (receipt == null) {
            throw new IllegalStateException("message " + letter.messageId() + " was not read by this reader");
        }
        Map<String, MessageAttributeValue> attributes = new HashMap<>();
        letter.originalAttributes().forEach((name, attribute) -> attributes.put(name, sqsAttribute(attribute)));
        sqs.sendMessage(request ->
                request.queueUrl(sourceQueueUrl()).messageBody(letter.body()).messageAttributes(attributes));
        sqs.deleteMessage(request -> request.queueUrl(deadLetterQueueUrl).receiptHandle(receipt));
        held.remove(letter.messageId());
    }

    /** Makes every message still held visible again; what this reader read stays in the queue as it was. */
    @Override
    public void close() {
        release();
        try {
            Runtime.getRuntime().removeShutdownHook(releaseOnExit);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or has run: it released them
        }
    }

    private void release() {
        List<Map.Entry<String, String>> holding = new ArrayList<>(held.entrySet());
        for (int from = 0; from < holding.size(); from += MAX_PER_CALL) {
            List<Map.Entry<String, String>> chunk =
                    holding.subList(from, Math.min(from + MAX_PER_CALL, holding.size()));
            List<ChangeMessageVisibilityBatchRequestEntry> entries = new ArrayList<>(chunk.size());
            for (int i = 0; i < chunk.size(); i++) {
                entries.add(ChangeMessageVisibilityBatchRequestEntry.builder()
                        .id(Integer.toString(i))
                        .receiptHandle(chunk.get(i).getValue())
                        .visibilityTimeout(0)
                        .build());
            }
            // an entry SQS refuses (its hold already over) becomes visible when the hold ends anyway
            sqs.changeMessageVisibilityBatch(
                    request -> request.queueUrl(deadLetterQueueUrl).entries(entries));
            chunk.forEach(entry -> held.remove(entry.getKey()));
        }
    }

    private String sourceQueueUrl() {
        if (sourceQueueUrl.isEmpty()) {
            sourceQueueUrl = sqs.getQueueUrl(request -> request.queueName(sourceQueueName))
                    .queueUrl();
        }
        return sourceQueueUrl;
    }

    private static DeadLetter deadLetter(Message message) {
        Map<String, DeadLetter.Attribute> attributes = new HashMap<>();
        message.messageAttributes().forEach((name, value) -> attributes.put(name, attribute(value)));
        Map<MessageSystemAttributeName, String> system = message.attributes();
        String sent = system.get(MessageSystemAttributeName.SENT_TIMESTAMP);
        String received = system.get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT);
        return new DeadLetter(
                message.messageId(),
                message.body(),
                attributes,
                sent == null ? Instant.EPOCH : Instant.ofEpochMilli(Long.parseLong(sent)),
                received == null ? 0 : Integer.parseInt(received));
    }

    private static DeadLetter.Attribute attribute(MessageAttributeValue value) {
        return value.binaryValue() != null
                ? new DeadLetter.Attribute(
                        value.dataType(),
                        null,
                        Base64.getEncoder().encodeToString(value.binaryValue().asByteArray()))
                : new DeadLetter.Attribute(value.dataType(), value.stringValue(), null);
    }

    private static MessageAttributeValue sqsAttribute(DeadLetter.Attribute attribute) {
        MessageAttributeValue.Builder value = MessageAttributeValue.builder().dataType(attribute.dataType());
        if (attribute.binaryBase64() != null) {
            value.binaryValue(SdkBytes.fromByteArray(Base64.getDecoder().decode(attribute.binaryBase64())));
        } else {
            value.stringValue(attribute.stringValue());
        }
        return value.build();
    }
}
