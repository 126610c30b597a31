package com.kahula.eventpersister.listener;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/**
 * Parks on SQS: the body unchanged in the dead-letter queue, with the message attributes it arrived with (such as
 * {@code persister-restore}, so that a redrive sends them back) and the reason, its detail and, for a conflict, the
 * stored row's hash as attributes of its own, which win over incoming ones of the same name.
 */
public final class SqsDeadLetterParking implements DeadLetterParking {

    public static final String ERROR_ATTRIBUTE = "persister-error";
    public static final String ERROR_DETAIL_ATTRIBUTE = "persister-error-detail";

    /** On a {@code conflict}: the payload hash of the row already stored, which the parked event's differs from. */
    public static final String STORED_HASH_ATTRIBUTE = "persister-stored-hash";

    // never taken from what a message arrived with: a message parked again after a redrive keeps no stale reason
    private static final Set<String> SERVICES_OWN =
            Set.of(ERROR_ATTRIBUTE, ERROR_DETAIL_ATTRIBUTE, STORED_HASH_ATTRIBUTE);

    /** SQS holds at most 10 message attributes on a message. */
    static final int MAX_ATTRIBUTES = 10;

    /** SQS message attributes hold at most 256 KB in all; a reason line stays far below. */
    private static final int MAX_DETAIL_LENGTH = 1024;

    private final SqsAsyncClient sqs;
    private final String deadLetterQueueName;
    private volatile @Nullable CompletableFuture<String> deadLetterQueueUrl;

    public SqsDeadLetterParking(SqsAsyncClient sqs, String deadLetterQueueName) {
        this.sqs = sqs;
        this.deadLetterQueueName = deadLetterQueueName;
    }

    @Override
    public CompletableFuture<Void> park(ParkedMessage message) {
        Map<String, MessageAttributeValue> attributes = attributes(message);
        return queueUrl()
                .thenCompose(url -> sqs.sendMessage(SendMessageRequest.builder()
                        .queueUrl(url)
                        .messageBody(message.body())
                        .messageAttributes(attributes)
                        .build()))
                .thenApply(sent -> null);
    }

    /**
     * The parked message's attributes: the service's own, then as many of those it arrived with as SQS's limit leaves
     * room for, in name order; the names left out are said in the detail.
     */
    static Map<String, MessageAttributeValue> attributes(ParkedMessage message) {
        Map<String, MessageAttributeValue> own = new HashMap<>();
        own.put(ERROR_ATTRIBUTE, text(message.reason()));
        message.storedHash().ifPresent(hash -> own.put(STORED_HASH_ATTRIBUTE, text(hash)));
        // the detail takes the last place
        int room = MAX_ATTRIBUTES - own.size() - 1;
        Map<String, MessageAttributeValue> attributes = new HashMap<>();
        List<String> leftOut = new ArrayList<>();
        message.attributes().forEach((name, value) -> {
            if (SERVICES_OWN.contains(name)) {
                return;
            }
            if (attributes.size() < room) {
                attributes.put(name, sqsValue(value));
            } else {
                leftOut.add(name);
            }
        });
        attributes.putAll(own);
        attributes.put(ERROR_DETAIL_ATTRIBUTE, text(detail(message.detail(), leftOut)));
        return attributes;
    }

    /** The detail in one line of at most 1024 characters, ending with the names left out, which a cut spares. */
    private static String detail(String detail, List<String> leftOut) {
        if (leftOut.isEmpty()) {
            return cut(oneLine(detail), MAX_DETAIL_LENGTH);
        }
        String names = cut(String.join(", ", leftOut), MAX_DETAIL_LENGTH / 2);
        String note = " (attributes left out, over SQS's " + MAX_ATTRIBUTES + ": " + names + ")";
        return cut(oneLine(detail), MAX_DETAIL_LENGTH - note.length()) + note;
    }

    private CompletableFuture<String> queueUrl() {
        CompletableFuture<String> url = deadLetterQueueUrl;
        if (url == null || url.isCompletedExceptionally()) {
            url = sqs.getQueueUrl(request -> request.queueName(deadLetterQueueName))
                    .thenApply(response -> response.queueUrl());
            deadLetterQueueUrl = url;
        }
        return url;
    }

    private static String oneLine(String detail) {
        return detail.isBlank() ? "(no detail)" : detail.replaceAll("\\s+", " ");
    }

    private static String cut(String line, int length) {
        return line.length() <= length ? line : line.substring(0, length - 3) + "...";
    }

    private static MessageAttributeValue sqsValue(ParkedMessage.Attribute attribute) {
        return switch (attribute) {
            case ParkedMessage.Text string ->
                MessageAttributeValue.builder()
                        .dataType(string.dataType())
                        .stringValue(string.value())
                        .build();
            // value() hands out a copy of its own
            case ParkedMessage.Binary binary ->
                MessageAttributeValue.builder()
                        .dataType(binary.dataType())
                        .binaryValue(SdkBytes.fromByteArrayUnsafe(binary.value()))
                        .build();
        };
    }

    private static MessageAttributeValue text(String value) {
        return MessageAttributeValue.builder()
                .dataType("String")
                .stringValue(value)
                .build();
    }
}
