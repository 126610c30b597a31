package com.kahula.eventpersister.event;

import static com.kahula.eventpersister.event.SampleEvents.RECEIVED_AT;
import static com.kahula.eventpersister.event.SampleEvents.body;
import static com.kahula.eventpersister.event.SampleEvents.detail;
import static com.kahula.eventpersister.event.SampleEvents.envelope;
import static com.kahula.eventpersister.event.SampleEvents.envelopeWithDetail;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EventParserTests {

    private EventParser parser = new EventParser(EventMapping.defaults(), 256 * 1024);

    @Test
    void mapsEveryColumnOfTheExampleEnvelope() {
        StoredEvent event = thenParsed(SampleEvents.EXAMPLE);

        assertThat(event.uniqueId()).isEqualTo("evt-42");
        assertThat(event.payloadHash()).matches("[0-9a-f]{64}");
        assertThat(event.mbocdpId()).isEqualTo("evt-42");
        assertThat(event.awsId()).isEqualTo("6a7e8feb-b491-4cf7-a9f1-bf3703467718");
        assertThat(event.sagaId()).isEqualTo("saga-7");
        assertThat(event.eventName()).isEqualTo("ProductUpdatedEvent");
        assertThat(event.detailType()).isEqualTo("com.kahula.catalog.ProductUpdatedEvent");
        assertThat(event.timestamp()).isEqualTo("2026-11-27T10:00:00.123Z");
        assertThat(event.domain()).isEqualTo("catalog");
        assertThat(event.source()).isEqualTo("kahula.catalog");
        assertThat(event.payload())
                .isEqualTo("{\"id\":\"evt-42\",\"sagaId\":\"saga-7\",\"domain\":\"catalog\","
                        + "\"timestamp\":\"2026-11-27T10:00:00.123Z\",\"sku\":\"SKU-1\",\"price\":12.50}");
        assertThat(event.receivedAt()).isEqualTo("2026-11-27T10:00:01.500Z");
    }

    @ParameterizedTest
    @CsvSource({
        "com.kahula.catalog.ProductUpdatedEvent, ProductUpdatedEvent",
        "com.kahula.Outer$InnerCreatedEvent, InnerCreatedEvent",
        "com.kahula.Outer$Inner.DeepEvent, DeepEvent",
        "PlainEvent, PlainEvent",
    })
    void namesTheEventAfterTheLastDotOrDollar(String detailType, String eventName) {
        ObjectNode envelope = envelope().put("detail-type", detailType);

        StoredEvent event = thenParsed(body(envelope));

        assertThat(event.eventName()).isEqualTo(eventName);
        assertThat(event.detailType()).isEqualTo(detailType);
    }

    @Test
    void readsFieldsAtConfiguredPointers() {
        givenMapping(new EventMapping("/meta/eventId", "/meta/saga", "/meta/at", "/meta/area"));
        String body = envelopeWithDetail("""
                {"meta":{"eventId":"m-1","saga":"s-1","at":"2026-01-02T03:04:05.678Z","area":"billing"},"id":"ignored"}
                """);

        StoredEvent event = thenParsed(body);

        assertThat(event.mbocdpId()).isEqualTo("m-1");
        assertThat(event.uniqueId()).isEqualTo("m-1");
        assertThat(event.sagaId()).isEqualTo("s-1");
        assertThat(event.timestamp()).isEqualTo("2026-01-02T03:04:05.678Z");
        assertThat(event.domain()).isEqualTo("billing");
    }

    @Test
    void leavesOptionalFieldsEmptyWhenAbsent() {
        StoredEvent event = thenParsed(envelopeWithDetail("{\"sku\":\"SKU-1\"}"));

        assertThat(event.mbocdpId()).isNull();
        assertThat(event.sagaId()).isNull();
        assertThat(event.domain()).isNull();
    }

    @Test
    void usesProducerIdAsUniqueId() {
        StoredEvent event = thenParsed(envelopeWithDetail("{\"id\":\"evt-1\"}"));

        assertThat(event.uniqueId()).isEqualTo("evt-1");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {"{}", "{\"id\":null}", "{\"id\":\"\"}", "{\"id\":\"  \"}"})
    void fallsBackToAwsIdWithoutProducerId(String detail) {
        StoredEvent event = thenParsed(envelopeWithDetail(detail));

        assertThat(event.uniqueId()).isEqualTo("6a7e8feb-b491-4cf7-a9f1-bf3703467718");
        assertThat(event.mbocdpId()).isNull();
    }

    @Test
    void usesNumericProducerIdAsText() {
        StoredEvent event = thenParsed(envelopeWithDetail("{\"id\":12345678901234567890123}"));

        assertThat(event.uniqueId()).isEqualTo("12345678901234567890123");
        assertThat(event.mbocdpId()).isEqualTo("12345678901234567890123");
    }

    @Test
    void fallsBackToEnvelopeTimeWithoutDetailTimestamp() {
        StoredEvent event = thenParsed(envelopeWithDetail("{\"id\":\"evt-1\"}"));

        assertThat(event.timestamp()).isEqualTo("2026-11-27T10:00:00.000Z");
    }

    @Test
    void readsEpochMillisTimestamp() {
        long millis = Instant.parse("2026-11-27T10:00:00.042Z").toEpochMilli();

        StoredEvent event = thenParsed(envelopeWithDetail("{\"timestamp\":" + millis + "}"));

        assertThat(event.timestamp()).isEqualTo("2026-11-27T10:00:00.042Z");
    }

    @ParameterizedTest
    @CsvSource({
        "2026-11-27T12:30:00+02:00, 2026-11-27T10:30:00.000Z",
        "2026-11-27T00:30:00.5-01:00, 2026-11-27T01:30:00.500Z",
        "2026-11-27T10:00:00.123456789Z, 2026-11-27T10:00:00.123Z",
        "2026-11-27T10:00Z, 2026-11-27T10:00:00.000Z",
    })
    void normalizesTimestampToUtcMillis(String written, String stored) {
        StoredEvent event = thenParsed(envelopeWithDetail("{\"timestamp\":\"" + written + "\"}"));

        assertThat(event.timestamp()).isEqualTo(stored);
    }

    @Test
    void storedTimestampsSortAsTime() {
        List<String> written = List.of(
                "2026-11-27T10:00:00.1Z",
                "2026-11-27T10:00:00Z",
                "2026-11-27T10:00:00.010Z",
                "2026-11-27T11:00:00+02:00",
                "2026-11-27T09:59:59.999Z");

        List<String> stored = written.stream()
                .map(text -> thenParsed(envelopeWithDetail("{\"timestamp\":\"" + text + "\"}"))
                        .timestamp())
                .toList();

        assertThat(stored).allSatisfy(text -> assertThat(text).hasSize(24));
        assertThat(stored.stream().sorted().map(Instant::parse).toList())
                .isSortedAccordingTo(Comparator.naturalOrder());
    }

    @Test
    void keepsNumbersExactAndFieldOrderInPayload() {
        String detail = "{\"z\":0.1,\"a\":1.10,\"m\":12345678901234567890123,\"d\":-0.000000000000000000001,"
                + "\"n\":{\"y\":[3,2.50,1],\"b\":true,\"x\":null}}";

        StoredEvent event = thenParsed(envelopeWithDetail(detail));

        assertThat(event.payload()).isEqualTo(detail);
    }

    @Test
    void keepsTinyAndLongDecimalsAsWritten() {
        String detail = "{\"a\":0.0000001,\"b\":-0.000000000000000000001,\"c\":3.14159265358979323846264338327950288,"
                + "\"d\":100,\"e\":-7}";

        StoredEvent event = thenParsed(envelopeWithDetail(detail));

        assertThat(event.payload()).isEqualTo(detail);
    }

    @Test
    void keepsExponentNumbersAtTheirExactValue() {
        StoredEvent event = thenParsed(envelopeWithDetail("{\"a\":1.5e-3,\"b\":1e5,\"c\":2E+2}"));

        // Exponent notation has no single spelling to restore; the value survives digit for digit.
        assertThat(event.payload()).isEqualTo("{\"a\":0.0015,\"b\":1E+5,\"c\":2E+2}");
    }

    @Test
    void keepsUnicodeInPayload() {
        StoredEvent event = thenParsed(envelopeWithDetail("{\"name\":\"caf\\u00e9 \\ud83d\\ude00\"}"));

        assertThat(event.payload()).isEqualTo("{\"name\":\"café 😀\"}");
    }

    @Test
    void hashIgnoresSagaTimestampAndProducerId() {
        ObjectNode first = envelope();
        ObjectNode second = envelope();
        detail(second).put("id", "evt-other").put("sagaId", "saga-other").put("timestamp", "2030-01-01T00:00:00Z");

        assertThat(thenParsed(body(first)).payloadHash())
                .isEqualTo(thenParsed(body(second)).payloadHash());
    }

    @Test
    void hashIgnoresFieldsAtConfiguredPointers() {
        givenMapping(new EventMapping("/meta/eventId", "/meta/saga", "/meta/at", "/domain"));

        String first = thenParsed(envelopeWithDetail(
                        "{\"meta\":{\"eventId\":\"a\",\"saga\":\"s\",\"at\":\"2026-01-01T00:00:00Z\",\"v\":1}}"))
                .payloadHash();
        String second = thenParsed(envelopeWithDetail(
                        "{\"meta\":{\"eventId\":\"b\",\"saga\":\"t\",\"at\":\"2027-01-01T00:00:00Z\",\"v\":1}}"))
                .payloadHash();

        assertThat(first).isEqualTo(second);
    }

    @Test
    void hashIncludesDomain() {
        ObjectNode other = envelope();
        detail(other).put("domain", "billing");

        assertThat(thenParsed(body(other)).payloadHash())
                .isNotEqualTo(thenParsed(SampleEvents.EXAMPLE).payloadHash());
    }

    @Test
    void parsingLeavesDetailIntactForPayload() {
        StoredEvent event = thenParsed(SampleEvents.EXAMPLE);

        assertThat(event.payload()).contains("\"id\":\"evt-42\"", "\"sagaId\":\"saga-7\"", "\"timestamp\":");
    }

    @Test
    void isReusableAcrossThreads() throws Exception {
        String expected = thenParsed(SampleEvents.EXAMPLE).payloadHash();

        List<String> hashes;
        try (var executor = Executors.newFixedThreadPool(4)) {
            var futures = IntStream.range(0, 200)
                    .mapToObj(i -> executor.submit(
                            () -> thenParsed(SampleEvents.EXAMPLE).payloadHash()))
                    .toList();
            hashes = new ArrayList<>();
            for (var future : futures) {
                hashes.add(future.get());
            }
        }

        assertThat(hashes).containsOnly(expected);
    }

    private void givenMapping(EventMapping mapping) {
        parser = new EventParser(mapping, 256 * 1024);
    }

    private StoredEvent thenParsed(String body) {
        ParseResult result = parser.parse(body, RECEIVED_AT);
        assertThat(result).isInstanceOf(ParseResult.Parsed.class);
        return ((ParseResult.Parsed) result).event();
    }
}
