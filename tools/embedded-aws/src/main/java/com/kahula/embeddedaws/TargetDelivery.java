package com.kahula.embeddedaws;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeNameForSends;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeValue;

/** Matches an accepted event against its bus's enabled rules and sends it to each matching rule's SQS targets. */
final class TargetDelivery {

    private static final Logger log = LoggerFactory.getLogger(TargetDelivery.class);

    private final SqsClient sqs;
    private final URI sqsEndpoint;

    TargetDelivery(SqsClient sqs, URI sqsEndpoint) {
        this.sqs = sqs;
        this.sqsEndpoint = sqsEndpoint;
    }

    /**
     * Delivers {@code envelope}, whose text is {@code envelopeJson}, to every target of every rule that matches it;
     * the entry's trace header, if it had one, as the message's {@code AWSTraceHeader} system attribute, as EventBridge
     * passes it to SQS targets.
     */
    void deliver(EventBuses.Bus bus, ObjectNode envelope, String envelopeJson, @Nullable String traceHeader) {
        for (var rule : bus.matching(envelope)) {
            rule.targets().values().forEach(target -> send(rule, target, envelopeJson, traceHeader));
        }
    }

    /** Sends the envelope to one SQS target as a message of that body. */
    private void send(EventBuses.Rule rule, ObjectNode target, String envelopeJson, @Nullable String traceHeader) {
        var arn = target.path("Arn").asText();
        var queueName = arn.substring(arn.lastIndexOf(':') + 1);
        Map<MessageSystemAttributeNameForSends, MessageSystemAttributeValue> trace = traceHeader == null
                ? Map.of()
                : Map.of(
                        MessageSystemAttributeNameForSends.AWS_TRACE_HEADER,
                        MessageSystemAttributeValue.builder()
                                .dataType("String")
                                .stringValue(traceHeader)
                                .build());
        try {
            sqs.sendMessage(send -> send.queueUrl(sqsEndpoint + "/" + EmbeddedAwsStack.ACCOUNT_ID + "/" + queueName)
                    .messageBody(envelopeJson)
                    .messageSystemAttributes(trace));
        } catch (RuntimeException e) {
            // AWS drops a failed invocation silently too (FailedInvocations metric); the log says why
            log.warn("Rule {} could not deliver to {}: {}", rule.arn(), arn, e.toString());
        }
    }
}
