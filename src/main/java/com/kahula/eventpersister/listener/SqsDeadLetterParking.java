package com.kahula.eventpersister.listener;

import io.awspring.cloud.sqs.listener.SqsHeaders;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.springframework.messaging.Message;
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
    public CompletableFuture<Void> park(
            Message<String> message, String reason, String detail, Optional<String> storedHash) {
        Map<String, MessageAttributeValue> attributes = attributes(arrivedWith(message), reason, detail, storedHash);
        return queueUrl()
                .thenCompose(url -> sqs.sendMessage(SendMessageRequest.builder()
                        .queueUrl(url)
                        .messageBody(message.getPayload())
                        .messageAttributes(attributes)
                        .build()))
                .thenApply(sent -> null);
    }

    /**
     * The parked message's attributes: the service's own, then as many of those it arrived with as SQS's limit leaves
     * room for, in name order; the names left out are said in the detail.
     */
    static Map<String, MessageAttributeValue> attributes(
            Map<String, MessageAttributeValue> arrived, String reason, String detail, Optional<String> storedHash) {
        Map<String, MessageAttributeValue> own = new HashMap<>();
        own.put(ERROR_ATTRIBUTE, text(reason));
        storedHash.ifPresent(hash -> own.put(STORED_HASH_ATTRIBUTE, text(hash)));
        Map<String, MessageAttributeValue> attributes = new HashMap<>(own);
        List<String> leftOut = new ArrayList<>();
        new TreeMap<>(arrived).forEach((name, value) -> {
            if (SERVICES_OWN.contains(name)) {
                return;
            }
            // the detail's slot is kept for last
            if (attributes.size() < MAX_ATTRIBUTES - 1) {
                attributes.put(name, value);
            } else {
                leftOut.add(name);
            }
        });
        String line = leftOut.isEmpty()
                ? oneLine(detail)
                : oneLine(oneLine(detail) + " (attributes left out, over SQS's " + MAX_ATTRIBUTES + ": "
                        + String.join(", ", leftOut) + ")");
        attributes.put(ERROR_DETAIL_ATTRIBUTE, text(line));
        return attributes;
    }

    /** The message attributes the message arrived with, from the SQS message the container keeps in a header. */
    private static Map<String, MessageAttributeValue> arrivedWith(Message<String> message) {
        return message.getHeaders().get(SqsHeaders.SQS_SOURCE_DATA_HEADER)
                        instanceof software.amazon.awssdk.services.sqs.model.Message source
                ? source.messageAttributes()
                : Map.of();
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

    private static String oneLine(@Nullable String detail) {
        String line = detail == null || detail.isBlank() ? "(no detail)" : detail.replaceAll("\\s+", " ");
        return line.length() <= MAX_DETAIL_LENGTH ? line : line.substring(0, MAX_DETAIL_LENGTH - 3) + "...";
    }

    private static MessageAttributeValue text(String value) {
        return MessageAttributeValue.builder()
                .dataType("String")
                .stringValue(value)
                .build();
    }
}
