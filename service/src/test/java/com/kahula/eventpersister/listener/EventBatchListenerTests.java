package com.kahula.eventpersister.listener;

import static org.assertj.core.api.Assertions.assertThat;

import io.awspring.cloud.sqs.support.converter.MessagingMessageHeaders;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;

class EventBatchListenerTests {

    private static final UUID FIRST = UUID.fromString("0b9e1b7c-2f4e-4d39-9a57-1c3f1d2e3a40");
    private static final UUID SECOND = UUID.fromString("5d0f6a21-8c7b-4e0a-b1d2-9e8f7a6b5c41");

    @Test
    void aBatchWithoutRepeatedIdsIsAcknowledgedInOneRound() {
        List<Message<String>> batch = List.of(delivery(FIRST, "a"), delivery(SECOND, "b"));

        assertThat(EventBatchListener.withDistinctIds(batch)).containsExactly(batch);
    }

    @Test
    void aMessageDeliveredTwiceInOneBatchGoesToASecondRound() {
        Message<String> first = delivery(FIRST, "a");
        Message<String> second = delivery(SECOND, "b");
        Message<String> firstAgain = delivery(FIRST, "a, again");
        Message<String> firstThird = delivery(FIRST, "a, a third time");

        assertThat(EventBatchListener.withDistinctIds(List.of(first, firstAgain, second, firstThird)))
                .containsExactly(List.of(first, second), List.of(firstAgain), List.of(firstThird));
    }

    private static Message<String> delivery(UUID messageId, String body) {
        return MessageBuilder.createMessage(body, new MessagingMessageHeaders(Map.of(), messageId));
    }
}
