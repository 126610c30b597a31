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
 * DescribeTable}) and read the queue's backlog ({@code GetQueueAttributes}). With the listener's configuration (no
 * visibility extension, manual acknowledgement) spring-cloud-aws 3.4.2 does not call {@code
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
        METRICS_NAMESPACE
    }

    public static final Map<Target, Set<String>> TASK_ROLE = Map.of(
            Target.QUEUE,
                    Set.of("sqs:GetQueueUrl", "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"),
            Target.DEAD_LETTER_QUEUE, Set.of("sqs:GetQueueUrl", "sqs:SendMessage"),
            Target.TABLE,
                    Set.of("dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"),
            Target.EVENT_BUS, Set.of("events:PutEvents"),
            Target.METRICS_NAMESPACE, Set.of("cloudwatch:PutMetricData"));

    /** IAM's service prefix for each AWS SDK service package. */
    private static final Map<String, String> IAM_PREFIX =
            Map.of("sqs", "sqs", "dynamodb", "dynamodb", "eventbridge", "events", "cloudwatch", "cloudwatch");

    private AwsActions() {}

    /** Every granted action, whatever its resource. */
    public static Set<String> all() {
        Set<String> all = new TreeSet<>();
        TASK_ROLE.values().forEach(all::addAll);
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
        String action = prefix.equals("sqs") && operation.endsWith("Batch")
                ? operation.substring(0, operation.length() - "Batch".length())
                : operation;
        return prefix + ":" + action;
    }
}
