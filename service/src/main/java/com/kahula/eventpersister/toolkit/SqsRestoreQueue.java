package com.kahula.eventpersister.toolkit;

import com.kahula.eventpersister.event.Utf8;
import com.kahula.eventpersister.listener.RestoreAttribute;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/** The queue through SQS: SendMessageBatch, the entries it fails sent again with backoff. */
final class SqsRestoreQueue implements RestoreQueue {

    private static final String STRING = "String";
    private static final int ATTEMPTS = 6;
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(200);

    private final SqsClient sqs;
    private final String queueUrl;

    SqsRestoreQueue(SqsClient sqs, String queueName) {
        this.sqs = sqs;
        this.queueUrl = sqs.getQueueUrl(request -> request.queueName(queueName)).queueUrl();
    }

    /**
     * The size SQS counts against its 256 KiB for the message of {@code envelope}: the body and the restore attribute
     * (its name, data type and value), in UTF-8 bytes.
     */
    static long messageBytes(String envelope, boolean withFollowUps) {
        return Utf8.length(envelope)
                + Utf8.length(RestoreAttribute.NAME)
                + Utf8.length(STRING)
                + Utf8.length(restoreValue(withFollowUps));
    }

    private static String restoreValue(boolean withFollowUps) {
        return withFollowUps ? RestoreAttribute.WITH_FOLLOW_UPS : RestoreAttribute.WITHOUT_FOLLOW_UPS;
    }

    @Override
    public void send(List<String> envelopes, boolean withFollowUps) {
        MessageAttributeValue restore = MessageAttributeValue.builder()
                .dataType(STRING)
                .stringValue(restoreValue(withFollowUps))
                .build();
        List<SendMessageBatchRequestEntry> pending = new ArrayList<>();
        for (int i = 0; i < envelopes.size(); i++) {
            pending.add(SendMessageBatchRequestEntry.builder()
                    .id(Integer.toString(i))
                    .messageBody(envelopes.get(i))
                    .messageAttributes(Map.of(RestoreAttribute.NAME, restore))
                    .build());
        }
        Duration backoff = FIRST_BACKOFF;
        for (int attempt = 1; ; attempt++) {
            List<SendMessageBatchRequestEntry> sending = pending;
            SendMessageBatchResponse response =
                    sqs.sendMessageBatch(request -> request.queueUrl(queueUrl).entries(sending));
            if (response.failed().isEmpty()) {
                return;
            }
            if (attempt == ATTEMPTS) {
                throw new IllegalStateException(
                        "the queue refused " + response.failed().size() + " messages after " + ATTEMPTS + " attempts: "
                                + response.failed().getFirst().code());
            }
            var failedIds = response.failed().stream()
                    .map(software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry::id)
                    .toList();
            pending = sending.stream()
                    .filter(entry -> failedIds.contains(entry.id()))
                    .toList();
            LockSupport.parkNanos(backoff.toNanos());
            backoff = backoff.multipliedBy(2);
        }
    }
}
