package com.kahula.eventpersister.listener;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

class SqsDeadLetterParkingTests {

    private static MessageAttributeValue text(String value) {
        return MessageAttributeValue.builder()
                .dataType("String")
                .stringValue(value)
                .build();
    }

    @Test
    void keepsWhatTheMessageArrivedWithBesideTheReason() {
        MessageAttributeValue binary = MessageAttributeValue.builder()
                .dataType("Binary.trace")
                .binaryValue(SdkBytes.fromByteArray(new byte[] {1, 2, 3}))
                .build();

        Map<String, MessageAttributeValue> parked = SqsDeadLetterParking.attributes(
                Map.of("persister-restore", text("without-follow-ups"), "trace", binary),
                "conflict",
                "already stored",
                Optional.of("ab12"));

        assertThat(parked)
                .containsEntry("persister-restore", text("without-follow-ups"))
                .containsEntry("trace", binary)
                .containsEntry("persister-error", text("conflict"))
                .containsEntry("persister-error-detail", text("already stored"))
                .containsEntry("persister-stored-hash", text("ab12"))
                .hasSize(5);
    }

    @Test
    void theServicesOwnAttributesWinOverStaleOnesOfTheSameName() {
        Map<String, MessageAttributeValue> parked = SqsDeadLetterParking.attributes(
                Map.of(
                        "persister-error", text("not-json"),
                        "persister-error-detail", text("an older reason"),
                        "persister-stored-hash", text("old")),
                "invalid-field",
                "producer id must be text",
                Optional.empty());

        assertThat(parked)
                .containsOnlyKeys("persister-error", "persister-error-detail")
                .containsEntry("persister-error", text("invalid-field"))
                .containsEntry("persister-error-detail", text("producer id must be text"));
    }

    @Test
    void keepsAsManyAsSqsAllowsInNameOrderAndNamesTheOthersInTheDetail() {
        Map<String, MessageAttributeValue> arrived = new HashMap<>();
        for (int i = 0; i < 10; i++) {
            arrived.put("a" + i, text("v" + i));
        }

        Map<String, MessageAttributeValue> parked =
                SqsDeadLetterParking.attributes(arrived, "conflict", "already stored", Optional.of("ab12"));

        // 10 at most: the reason, the hash and the detail, then a0 to a6
        assertThat(parked).hasSize(10).containsKeys("a0", "a6").doesNotContainKeys("a7", "a8", "a9");
        assertThat(parked.get("persister-error-detail").stringValue())
                .isEqualTo("already stored (attributes left out, over SQS's 10: a7, a8, a9)");
    }
}
