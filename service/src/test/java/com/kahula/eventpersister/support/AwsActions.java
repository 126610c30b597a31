package com.kahula.eventpersister.support;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The AWS actions the service calls in production, by the resource they act on: the one list the ECS task role is
 * checked against ({@code EcsTemplateTests}), and that every AWS SDK call in the code is checked against.
 *
 * <p>Called by the libraries, not by our code: spring-cloud-aws's listener container resolves the queue
 * ({@code GetQueueUrl}), polls it ({@code ReceiveMessage}) and acknowledges ({@code DeleteMessageBatch}); Micrometer's
 * CloudWatch registry publishes ({@code PutMetricData}); the readiness checks describe the table ({@code
 * DescribeTable}) and read the queue's backlog ({@code GetQueueAttributes}). The follow-up outbox ({@code
 * DynamoDbFollowUpOutbox}) queries the outbox index and reads the items it points to ({@code BatchGetItem}). With the listener's configuration (no
 * visibility extension, manual acknowledgement) spring-cloud-aws does not call {@code
 * ChangeMessageVisibilityBatch}, so it is not granted. Provisioning (local profile only) is not granted anything.
 */
public final class AwsActions {

    /** What a grant applies to, as the template names it. */
    public enum Target {
        QUEUE,
        DEAD_LETTER_QUEUE,
        TABLE,
        EVENT_BUS,
        /** {@code cloudwatch:PutMetricData} has no resource type: {@code "*"} with a {@code cloudwatch:namespace} condition. */
        METRICS_NAMESPACE,
        /** The table's saga index, which the toolkit's saga and replay query. */
        SAGA_INDEX,
        /** The table's outbox index, which the sweeper and the toolkit's followups query for pending follow-ups. */
        OUTBOX_INDEX,
        /** The archive bucket, listed only under {@code events/} (an {@code s3:prefix} condition). */
        ARCHIVE_BUCKET,
        /** The archive's objects under {@code events/}. */
        ARCHIVE_OBJECTS
    }

    public static final Map<Target, Set<String>> TASK_ROLE = Map.of(
            Target.QUEUE,
                    Set.of("sqs:GetQueueUrl", "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"),
            Target.DEAD_LETTER_QUEUE, Set.of("sqs:GetQueueUrl", "sqs:SendMessage"),
            Target.TABLE,
                    Set.of(
                            "dynamodb:DescribeTable",
                            "dynamodb:GetItem",
                            "dynamodb:PutItem",
                            "dynamodb:UpdateItem",
                            "dynamodb:BatchGetItem"),
            Target.OUTBOX_INDEX, Set.of("dynamodb:Query"),
            Target.EVENT_BUS, Set.of("events:PutEvents"),
            Target.METRICS_NAMESPACE, Set.of("cloudwatch:PutMetricData"));

    /**
     * What the toolkit's restore calls ({@code S3Archive}, {@code SqsRestoreQueue}): list and read the archive, send to
     * the queue. Its own role in the template, {@code RestoreTaskRole}.
     */
    public static final Map<Target, Set<String>> RESTORE_ROLE = Map.of(
            Target.ARCHIVE_BUCKET, Set.of("s3:ListBucket"),
            Target.ARCHIVE_OBJECTS, Set.of("s3:GetObject"),
            Target.QUEUE, Set.of("sqs:GetQueueUrl", "sqs:SendMessage"));

    /**
     * What the toolkit's replay and saga call ({@code DynamoDbStoredEvents}, {@code EventBridgeReplayBus}): query the
     * saga index and read the items its keys point to, scan the table for a time range, publish on the bus. Its own role, {@code ReplayTaskRole}.
     */
    public static final Map<Target, Set<String>> REPLAY_ROLE = Map.of(
            Target.SAGA_INDEX, Set.of("dynamodb:Query"),
            Target.TABLE, Set.of("dynamodb:Scan", "dynamodb:BatchGetItem"),
            Target.EVENT_BUS, Set.of("events:PutEvents"));

    /**
     * What the toolkit's followups calls: the service's own outbox adapter ({@code DynamoDbFollowUpOutbox}: query the
     * outbox index, read and mark the items) and publisher ({@code EventBridgeFollowUpPublisher}), and the one-off
     * backfill ({@code DynamoDbOutboxBackfill}: scan the table, put items in the outbox). Its own role, {@code
     * FollowUpsTaskRole}.
     */
    public static final Map<Target, Set<String>> FOLLOW_UPS_ROLE = Map.of(
            Target.OUTBOX_INDEX, Set.of("dynamodb:Query"),
            Target.TABLE, Set.of("dynamodb:BatchGetItem", "dynamodb:UpdateItem", "dynamodb:Scan"),
            Target.EVENT_BUS, Set.of("events:PutEvents"));

    /**
     * What the toolkit's dead-letters calls ({@code SqsDeadLetters}: read the dead-letter queue without consuming it,
     * move a message back to the queue; {@code DynamoDbStoredRows}: read the stored rows it is compared with). Its own
     * role, {@code DeadLettersTaskRole}.
     */
    public static final Map<Target, Set<String>> DEAD_LETTERS_ROLE = Map.of(
            Target.DEAD_LETTER_QUEUE,
                    Set.of(
                            "sqs:GetQueueUrl",
                            "sqs:GetQueueAttributes",
                            "sqs:ReceiveMessage",
                            "sqs:ChangeMessageVisibility",
                            "sqs:DeleteMessage"),
            Target.QUEUE, Set.of("sqs:GetQueueUrl", "sqs:SendMessage"),
            Target.TABLE, Set.of("dynamodb:BatchGetItem"));

    /** IAM's service prefix for each AWS SDK service package. */
    private static final Map<String, String> IAM_PREFIX = Map.of(
            "sqs", "sqs", "dynamodb", "dynamodb", "eventbridge", "events", "cloudwatch", "cloudwatch", "s3", "s3");

    /** SDK operations whose IAM action has another name. */
    private static final Map<String, String> IAM_NAME = Map.of("s3:ListObjectsV2", "s3:ListBucket");

    private AwsActions() {}

    /** Every action the service's task role grants, whatever its resource. */
    public static Set<String> all() {
        return all(TASK_ROLE);
    }

    /** Every action a role grants, whatever its resource. */
    public static Set<String> all(Map<Target, Set<String>> role) {
        Set<String> all = new TreeSet<>();
        role.values().forEach(all::addAll);
        return all;
    }

    /**
     * The IAM action that authorizes an SDK operation ({@code sqs}, {@code DeleteMessageBatch} ->
     * {@code sqs:DeleteMessage}): SQS authorizes each batch operation as its single-message form.
     */
    public static String iamAction(String sdkServicePackage, String operation) {
        String prefix = IAM_PREFIX.get(sdkServicePackage);
        if (prefix == null) {
            throw new IllegalArgumentException("No IAM prefix known for the SDK service " + sdkServicePackage);
        }
        // a paginator calls its operation page by page
        String called = operation.endsWith("Paginator")
                ? operation.substring(0, operation.length() - "Paginator".length())
                : operation;
        String action = prefix.equals("sqs") && called.endsWith("Batch")
                ? called.substring(0, called.length() - "Batch".length())
                : called;
        return IAM_NAME.getOrDefault(prefix + ":" + action, prefix + ":" + action);
    }
}
