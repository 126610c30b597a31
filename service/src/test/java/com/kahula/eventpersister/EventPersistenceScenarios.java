package com.kahula.eventpersister;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.kahula.eventpersister.support.EndToEnd;
import com.kahula.eventpersister.support.EventOracle;
import com.kahula.eventpersister.support.SampleEvents;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * The core pipeline through the real listener: bus or queue in, table rows and dead letters out. Written once, run on
 * the embedded stack ({@link EventPersistenceIT}) and on LocalStack ({@link LocalStackIT}).
 */
interface EventPersistenceScenarios extends EndToEnd {

    ObjectMapper JSON = new ObjectMapper();
    String[] DOMAINS = {"catalog", "pricing", "stock", "orders", "customers"};
    String[] TYPES = {
        "com.kahula.catalog.ProductUpdatedEvent",
        "com.kahula.catalog.ProductValidatedEvent",
        "com.kahula.pricing.PriceChangedEvent",
        "com.kahula.stock.Stock$LevelChangedEvent",
        "OrderPlacedEvent"
    };

    @Test
    default void storesEveryEventPublishedThroughTheBusWithExactColumns() throws Exception {
        List<ObjectNode> details = new ArrayList<>();
        List<PutEventsRequestEntry> entries = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            ObjectNode detail = SampleEvents.detail(DOMAINS[i % DOMAINS.length]);
            details.add(detail);
            entries.add(SampleEvents.entry(TYPES[i % TYPES.length], detail));
        }

        List<String> busIds = aws().publish(entries);

        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(details)
                        .allSatisfy(detail ->
                                assertThat(aws().row(detail.get("id").asText())).isPresent()));
        for (int i = 0; i < details.size(); i++) {
            ObjectNode detail = details.get(i);
            String id = detail.get("id").asText();
            Map<String, AttributeValue> row = aws().row(id).orElseThrow();
            String detailType = TYPES[i % TYPES.length];
            assertThat(columns(row))
                    .containsEntry("unique_id", id)
                    .containsEntry("mbocdp_id", id)
                    .containsEntry("aws_id", busIds.get(i))
                    .containsEntry("saga_id", detail.get("sagaId").asText())
                    .containsEntry("event_name", simpleName(detailType))
                    .containsEntry("detail_type", detailType)
                    .containsEntry("timestamp", "2026-11-27T10:00:00.123Z")
                    .containsEntry("domain", DOMAINS[i % DOMAINS.length])
                    .containsEntry("source", "kahula." + DOMAINS[i % DOMAINS.length])
                    .containsEntry("payload_hash", EventOracle.payloadHash(detail.toString()))
                    .containsKey("received_at");
            assertThat(row.keySet())
                    .containsAll(List.of(
                            "unique_id",
                            "payload_hash",
                            "mbocdp_id",
                            "aws_id",
                            "saga_id",
                            "event_name",
                            "timestamp",
                            "domain",
                            "source",
                            "payload",
                            "detail_type",
                            "received_at"));
            assertThat(row.get("payload").s()).isEqualTo(detail.toString()).contains("\"price\":19.90");
        }
    }

    @Test
    default void storesTheSameMessageDeliveredTwiceOnceAndCountsADuplicate() {
        // No follow-up rule matches: two copies processed at once may each emit the follow-up (at least once), and
        // its second copy would count as one more duplicate. FollowUpScenarios covers that path.
        ObjectNode detail = SampleEvents.detail("pricing");
        String body = SampleEvents.envelope("com.kahula.pricing.PriceChangedEvent", detail);
        awaitQuiet();
        double duplicatesBefore = events("duplicate");

        aws().sendToQueue(body);
        aws().sendToQueue(body);

        await().untilAsserted(() -> assertThat(events("duplicate")).isEqualTo(duplicatesBefore + 1));
        assertThat(aws().row(detail.get("id").asText())).isPresent();
    }

    @Test
    default void storesTheBodyAsItCameWhateverPayloadTypeAMessageAttributeNames() {
        // spring-cloud-aws's default converter would deserialise the body into the class this attribute names
        ObjectNode detail = SampleEvents.detail("pricing");
        String body = SampleEvents.envelope("com.kahula.pricing.PriceChangedEvent", detail);

        aws().sendToQueue(body, Map.of("JavaType", text("java.util.LinkedHashMap")));

        await().untilAsserted(() -> assertThat(aws().row(detail.get("id").asText()))
                .hasValueSatisfying(row -> assertThat(row.get("payload").s()).isEqualTo(detail.toString())));
    }

    @Test
    default void parksAnEventTheStoreRefusesAtOnceWithTheStoresReason() {
        // DynamoDB keys stop at 2,048 bytes: no redelivery can ever store this one.
        ObjectNode detail = SampleEvents.detail("pricing").put("id", "p-" + "x".repeat(3000));
        String marker = detail.get("sku").asText();

        aws().sendToQueue(SampleEvents.envelope("com.kahula.pricing.PriceChangedEvent", detail));

        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(aws().deadLetterContaining(marker))
                        .hasValueSatisfying(letter -> {
                            assertThat(letter.reason()).isEqualTo("store-rejected");
                            assertThat(letter.detail()).contains("unique_id", "2048");
                        }));
    }

    @Test
    default void storesTwoBusEventsWithTheSameProducerIdOnce() {
        ObjectNode detail = SampleEvents.detail("pricing");
        PutEventsRequestEntry entry = SampleEvents.entry("com.kahula.pricing.PriceChangedEvent", detail);
        awaitQuiet();
        double duplicatesBefore = events("duplicate");

        List<String> busIds = new ArrayList<>(aws().publish(List.of(entry)));
        busIds.addAll(aws().publish(List.of(entry)));

        await().untilAsserted(() -> assertThat(events("duplicate")).isEqualTo(duplicatesBefore + 1));
        assertThat(busIds).as("the bus's ids of the two events").hasSize(2).doesNotHaveDuplicates();
        assertThat(aws().column(detail.get("id").asText(), "aws_id")).isIn(busIds);
    }

    @Test
    default void parksTheSameIdWithOtherContentAsAConflictAndLeavesTheFirstRowUntouched() {
        ObjectNode first = SampleEvents.detail("stock");
        aws().sendToQueue(SampleEvents.envelope("com.kahula.stock.StockChangedEvent", first));
        String id = first.get("id").asText();
        await().until(() -> aws().row(id).isPresent());
        Map<String, AttributeValue> stored = aws().row(id).orElseThrow();

        ObjectNode other = first.deepCopy().put("sku", "OTHER-" + UUID.randomUUID());
        String conflicting = SampleEvents.envelope("com.kahula.stock.StockChangedEvent", other);
        aws().sendToQueue(conflicting);

        await().untilAsserted(() -> assertThat(
                        aws().deadLetterContaining(other.get("sku").asText()))
                .hasValueSatisfying(letter -> {
                    assertThat(letter.reason()).isEqualTo("conflict");
                    assertThat(letter.detail()).contains(id);
                    assertThat(letter.body()).isEqualTo(conflicting);
                }));
        assertThat(aws().row(id)).contains(stored);
    }

    @Test
    default void parksARestoredConflictWithItsRestoreMarkAndTheStoredRowsHash() {
        ObjectNode first = SampleEvents.detail("stock");
        aws().sendToQueue(SampleEvents.envelope("com.kahula.stock.StockChangedEvent", first));
        String id = first.get("id").asText();
        await().until(() -> aws().row(id).isPresent());

        ObjectNode other = first.deepCopy().put("sku", "OTHER-" + UUID.randomUUID());
        aws().sendToQueue(
                        SampleEvents.envelope("com.kahula.stock.StockChangedEvent", other),
                        Map.of("persister-restore", text("without-follow-ups")));

        await().untilAsserted(() -> assertThat(
                        aws().deadLetterContaining(other.get("sku").asText()))
                .hasValueSatisfying(letter -> {
                    assertThat(letter.reason()).isEqualTo("conflict");
                    assertThat(letter.attributes().get("persister-restore"))
                            .isNotNull()
                            .satisfies(
                                    restore -> assertThat(restore.stringValue()).isEqualTo("without-follow-ups"));
                    assertThat(letter.attributes().get("persister-stored-hash"))
                            .isNotNull()
                            .satisfies(hash -> assertThat(hash.stringValue())
                                    .isEqualTo(aws().row(id)
                                            .orElseThrow()
                                            .get("payload_hash")
                                            .s())
                                    .isEqualTo(EventOracle.payloadHash(first.toString())));
                }));
    }

    @Test
    default void parksAMalformedBodyWithTheAttributesItArrivedWithUnchanged() {
        String body = "not json " + UUID.randomUUID();

        aws().sendToQueue(
                        body,
                        Map.of(
                                "team",
                                text("pricing"),
                                "trace",
                                MessageAttributeValue.builder()
                                        .dataType("Binary.trace")
                                        .binaryValue(SdkBytes.fromByteArray(new byte[] {1, 2, 3}))
                                        .build()));

        await().untilAsserted(() -> assertThat(aws().deadLetterContaining(body)).hasValueSatisfying(letter -> {
            assertThat(letter.body()).isEqualTo(body);
            assertThat(letter.attributes())
                    .containsOnlyKeys("team", "trace", "persister-error", "persister-error-detail");
            assertThat(letter.attributes().get("team")).satisfies(team -> {
                assertThat(team.dataType()).isEqualTo("String");
                assertThat(team.stringValue()).isEqualTo("pricing");
            });
            assertThat(letter.attributes().get("trace")).satisfies(trace -> {
                assertThat(trace.dataType()).isEqualTo("Binary.trace");
                assertThat(trace.binaryValue().asByteArray()).containsExactly(1, 2, 3);
            });
            assertThat(letter.reason()).isEqualTo("not-json");
        }));
    }

    @Test
    default void parksEachKindOfMalformedBodyWithItsReasonAndKeepsStoring() {
        String marker = UUID.randomUUID().toString();
        Map<String, String> reasonByBody = new HashMap<>();
        reasonByBody.put("not json at all " + marker, "not-json");
        reasonByBody.put("{\"id\":\"" + marker + "\"", "not-json");
        reasonByBody.put("[\"" + marker + "\"]", "not-an-envelope");
        reasonByBody.put(envelopeWithout("id", marker), "missing-id");
        reasonByBody.put(envelopeWithout("detail-type", marker), "missing-detail-type");
        reasonByBody.put(envelopeWithout("source", marker), "missing-source");
        reasonByBody.put(envelopeWith("detail", JSON.createArrayNode().add(marker)), "detail-not-object");
        reasonByBody.put(
                envelopeWith("detail-type", JSON.getNodeFactory().textNode("com.kahula." + marker + ".")),
                "invalid-field");
        reasonByBody.put(timestampOf("yesterday-" + marker), "invalid-timestamp");
        reasonByBody.put(oversized(marker), "too-large");

        reasonByBody.keySet().forEach(aws()::sendToQueue);
        ObjectNode good = SampleEvents.detail("orders");
        aws().sendToQueue(SampleEvents.envelope("OrderPlacedEvent", good));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Map<String, String> parked = new HashMap<>();
            aws().deadLetters().stream()
                    .filter(letter -> letter.body().contains(marker))
                    .forEach(letter -> parked.put(letter.body(), letter.reason()));
            assertThat(parked).isEqualTo(reasonByBody);
        });
        await().until(() -> aws().row(good.get("id").asText()).isPresent());
    }

    private static Map<String, String> columns(Map<String, AttributeValue> row) {
        Map<String, String> columns = new HashMap<>();
        row.forEach((name, value) -> columns.put(name, value.s()));
        return columns;
    }

    private static String simpleName(String detailType) {
        return detailType.substring(Math.max(detailType.lastIndexOf('.'), detailType.lastIndexOf('$')) + 1);
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode validEnvelope(String marker) {
        ObjectNode detail = SampleEvents.detail("catalog").put("sku", marker);
        return (ObjectNode) parse(SampleEvents.envelope("com.kahula.catalog.ProductUpdatedEvent", detail));
    }

    private static String envelopeWithout(String field, String marker) {
        ObjectNode envelope = validEnvelope(marker);
        envelope.remove(field);
        return envelope.toString();
    }

    private static String envelopeWith(String field, JsonNode value) {
        String marker = value.toString();
        ObjectNode envelope = validEnvelope(marker);
        envelope.set(field, value);
        return envelope.toString();
    }

    private static String timestampOf(String value) {
        ObjectNode envelope = validEnvelope(value);
        ((ObjectNode) envelope.get("detail")).put("timestamp", value);
        return envelope.toString();
    }

    private static String oversized(String marker) {
        ObjectNode envelope = validEnvelope(marker);
        ((ObjectNode) envelope.get("detail")).put("blob", "x".repeat(100 * 1024));
        return envelope.toString();
    }

    private static MessageAttributeValue text(String value) {
        return MessageAttributeValue.builder()
                .dataType("String")
                .stringValue(value)
                .build();
    }
}
