package com.kahula.eventpersister.listener;

import io.awspring.cloud.sqs.listener.SqsHeaders;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.messaging.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * The message attributes a message arrived with, read from the SQS message that spring-cloud-aws keeps in a header
 * (its own headers hold the values without their data types).
 */
final class ArrivedAttributes {

    private static final Logger log = LoggerFactory.getLogger(ArrivedAttributes.class);

    private ArrivedAttributes() {}

    /** Each attribute as it arrived; none for a message that did not come from SQS. */
    static Map<String, ParkedMessage.Attribute> of(Message<?> message) {
        if (!(message.getHeaders().get(SqsHeaders.SQS_SOURCE_DATA_HEADER)
                instanceof software.amazon.awssdk.services.sqs.model.Message source)) {
            return Map.of();
        }
        Map<String, ParkedMessage.Attribute> attributes = new LinkedHashMap<>();
        source.messageAttributes().forEach((name, value) -> {
            try {
                attributes.put(name, attribute(value));
            } catch (RuntimeException notKept) {
                // SQS delivers only what it accepted, which a ParkedMessage holds; a park must not fail on another
                log.warn("Message attribute {} is not kept on the parked message: {}", name, notKept.getMessage());
            }
        });
        return attributes;
    }

    private static ParkedMessage.Attribute attribute(MessageAttributeValue value) {
        return value.binaryValue() != null
                ? new ParkedMessage.Binary(value.dataType(), value.binaryValue().asByteArray())
                : new ParkedMessage.Text(value.dataType(), value.stringValue());
    }
}
