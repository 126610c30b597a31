package com.kahula.eventpersister.listener;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/** Parks on SQS: the body unchanged in the dead-letter queue, the reason and its detail as message attributes. */
public final class SqsDeadLetterParking implements DeadLetterParking {

    public static final String ERROR_ATTRIBUTE = "persister-error";
    public static final String ERROR_DETAIL_ATTRIBUTE = "persister-error-detail";

    /** On a {@code conflict}: the payload hash of the row already stored, which the parked event's differs from. */
    public static final String STORED_HASH_ATTRIBUTE = "persister-stored-hash";

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
    public CompletableFuture<Void> park(String body, String reason, String detail) {
        return queueUrl()
                .thenCompose(url -> sqs.sendMessage(SendMessageRequest.builder()
                        .queueUrl(url)
                        .messageBody(body)
                        .messageAttributes(Map.of(
                                ERROR_ATTRIBUTE, text(reason),
                                ERROR_DETAIL_ATTRIBUTE, text(oneLine(detail))))
                        .build()))
                .thenApply(sent -> null);
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
