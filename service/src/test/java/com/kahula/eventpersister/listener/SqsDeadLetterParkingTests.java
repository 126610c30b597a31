package com.kahula.eventpersister.listener;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.GetQueueUrlRequest;
import software.amazon.awssdk.services.sqs.model.GetQueueUrlResponse;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageResponse;

/** How a parked message is laid out on SQS: its own attributes kept, the service's winning, at most ten in all. */
class SqsDeadLetterParkingTests {

    private static final MessageAttributeValue TRACE = MessageAttributeValue.builder()
            .dataType("Binary.trace")
            .binaryValue(SdkBytes.fromByteArray(new byte[] {1, 2, 3}))
            .build();

    @Test
    void sendsTheBodyUnchangedToTheDeadLetterQueueWithTheAttributesItArrivedWith() {
        RecordingSqs sqs = new RecordingSqs();
        SqsDeadLetterParking parking = new SqsDeadLetterParking(sqs, "events-dlq");

        parking.park(new ParkedMessage(
                        "  not json\n",
                        Map.of("trace", new ParkedMessage.Binary("Binary.trace", new byte[] {1, 2, 3})),
                        "not-json",
                        "Unexpected character",
                        Optional.empty()))
                .join();

        assertThat(sqs.sent).singleElement().satisfies(sent -> {
            assertThat(sent.queueUrl()).isEqualTo("https://sqs.test/events-dlq");
            assertThat(sent.messageBody()).isEqualTo("  not json\n");
            assertThat(sent.messageAttributes())
                    .containsOnly(
                            Map.entry("trace", TRACE),
                            Map.entry("persister-error", text("not-json")),
                            Map.entry("persister-error-detail", text("Unexpected character")));
        });
    }

    @Test
    void keepsWhatTheMessageArrivedWithBesideTheReasonAndTheStoredHash() {
        Map<String, MessageAttributeValue> parked = SqsDeadLetterParking.attributes(parked(
                Map.of(
                        "persister-restore", new ParkedMessage.Text("String", "without-follow-ups"),
                        "attempt", new ParkedMessage.Text("Number.int", "3"),
                        "trace", new ParkedMessage.Binary("Binary.trace", new byte[] {1, 2, 3})),
                "conflict",
                "already stored",
                Optional.of("ab12")));

        assertThat(parked)
                .containsOnly(
                        Map.entry("persister-restore", text("without-follow-ups")),
                        Map.entry(
                                "attempt",
                                MessageAttributeValue.builder()
                                        .dataType("Number.int")
                                        .stringValue("3")
                                        .build()),
                        Map.entry("trace", TRACE),
                        Map.entry("persister-error", text("conflict")),
                        Map.entry("persister-error-detail", text("already stored")),
                        Map.entry("persister-stored-hash", text("ab12")));
    }

    @Test
    void theServicesOwnAttributesWinOverStaleOnesOfTheSameName() {
        Map<String, MessageAttributeValue> parked = SqsDeadLetterParking.attributes(parked(
                Map.of(
                        "persister-error", new ParkedMessage.Text("String", "conflict"),
                        "persister-error-detail", new ParkedMessage.Text("String", "an older reason"),
                        "persister-stored-hash", new ParkedMessage.Text("String", "old")),
                "invalid-field",
                "producer id must be text",
                Optional.empty()));

        assertThat(parked)
                .containsOnly(
                        Map.entry("persister-error", text("invalid-field")),
                        Map.entry("persister-error-detail", text("producer id must be text")));
    }

    @Test
    void keepsAsManyAsSqsAllowsInNameOrderAndNamesTheOthersInTheDetail() {
        Map<String, MessageAttributeValue> parked = SqsDeadLetterParking.attributes(
                parked(tenAttributes(), "conflict", "already stored", Optional.of("ab12")));

        // 10 at most: the reason, the hash and the detail, then a0 to a6
        assertThat(parked)
                .hasSize(10)
                .containsKeys("a0", "a1", "a2", "a3", "a4", "a5", "a6")
                .doesNotContainKeys("a7", "a8", "a9");
        assertThat(parked.get("persister-error-detail").stringValue())
                .isEqualTo("already stored (attributes left out, over SQS's 10: a7, a8, a9)");
    }

    @Test
    void withoutAStoredHashKeepsOneOriginalMore() {
        Map<String, MessageAttributeValue> parked = SqsDeadLetterParking.attributes(
                parked(tenAttributes(), "not-json", "Unexpected character", Optional.empty()));

        assertThat(parked).hasSize(10).containsKey("a7").doesNotContainKeys("a8", "a9");
        assertThat(parked.get("persister-error-detail").stringValue())
                .isEqualTo("Unexpected character (attributes left out, over SQS's 10: a8, a9)");
    }

    @Test
    void aLongDetailIsCutToOneLineOf1024CharactersThatStillNamesTheAttributesLeftOut() {
        String detail = "x\n".repeat(2000);

        String parked = SqsDeadLetterParking.attributes(
                        parked(tenAttributes(), "store-rejected", detail, Optional.empty()))
                .get("persister-error-detail")
                .stringValue();

        assertThat(parked)
                .hasSize(1024)
                .doesNotContain("\n")
                .startsWith("x x x")
                .endsWith("... (attributes left out, over SQS's 10: a8, a9)");
    }

    @Test
    void theNamesLeftOutAreCutToo() {
        Map<String, ParkedMessage.Attribute> arrived = new HashMap<>();
        for (int i = 0; i < 20; i++) {
            arrived.put("n" + i + "-" + "y".repeat(250), new ParkedMessage.Text("String", "v"));
        }

        String parked = SqsDeadLetterParking.attributes(parked(arrived, "not-json", "bad", Optional.empty()))
                .get("persister-error-detail")
                .stringValue();

        assertThat(parked)
                .hasSizeLessThanOrEqualTo(1024)
                .startsWith("bad (attributes left out")
                .endsWith("...)");
    }

    private static ParkedMessage parked(
            Map<String, ParkedMessage.Attribute> arrived, String reason, String detail, Optional<String> storedHash) {
        return new ParkedMessage("{}", arrived, reason, detail, storedHash);
    }

    private static Map<String, ParkedMessage.Attribute> tenAttributes() {
        Map<String, ParkedMessage.Attribute> arrived = new HashMap<>();
        for (int i = 9; i >= 0; i--) {
            arrived.put("a" + i, new ParkedMessage.Text("String", "v" + i));
        }
        return arrived;
    }

    private static MessageAttributeValue text(String value) {
        return MessageAttributeValue.builder()
                .dataType("String")
                .stringValue(value)
                .build();
    }

    /** Answers the queue's URL and records what is sent. */
    private static final class RecordingSqs implements SqsAsyncClient {
        final List<SendMessageRequest> sent = new ArrayList<>();

        @Override
        public CompletableFuture<GetQueueUrlResponse> getQueueUrl(GetQueueUrlRequest request) {
            return CompletableFuture.completedFuture(GetQueueUrlResponse.builder()
                    .queueUrl("https://sqs.test/" + request.queueName())
                    .build());
        }

        @Override
        public CompletableFuture<SendMessageResponse> sendMessage(SendMessageRequest request) {
            sent.add(request);
            return CompletableFuture.completedFuture(
                    SendMessageResponse.builder().build());
        }

        @Override
        public String serviceName() {
            return "sqs";
        }

        @Override
        public void close() {}
    }
}
