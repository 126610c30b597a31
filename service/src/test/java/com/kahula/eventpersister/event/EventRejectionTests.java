package com.kahula.eventpersister.event;

import static com.kahula.eventpersister.event.SampleEvents.RECEIVED_AT;
import static com.kahula.eventpersister.event.SampleEvents.body;
import static com.kahula.eventpersister.event.SampleEvents.detail;
import static com.kahula.eventpersister.event.SampleEvents.envelope;
import static com.kahula.eventpersister.event.SampleEvents.envelopeWithDetail;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class EventRejectionTests {

    private EventParser parser = new EventParser(EventMapping.defaults(), 4096);

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "   ", "\n\t"})
    void parksEmptyBody(String body) {
        thenRejected(body, ParserRejection.EMPTY_BODY);
    }

    @Test
    void parksBodyOverTheByteLimit() {
        givenMaxBodyBytes(200);

        thenRejected(padded(SampleEvents.EXAMPLE, 201), ParserRejection.TOO_LARGE);
    }

    @Test
    void countsUtf8BytesNotChars() {
        givenMaxBodyBytes(600);
        // Each "é" is one char but two UTF-8 bytes.
        String body = envelopeWithDetail("{\"name\":\"" + "é".repeat(200) + "\"}");
        assertThat(body.length()).isLessThan(600);
        assertThat(body.getBytes(StandardCharsets.UTF_8)).hasSizeGreaterThan(600);

        thenRejected(body, ParserRejection.TOO_LARGE);
    }

    @Test
    void acceptsBodyAtTheByteLimit() {
        String body = SampleEvents.EXAMPLE;
        givenMaxBodyBytes(body.getBytes(StandardCharsets.UTF_8).length);

        assertThat(parser.parse(body, RECEIVED_AT)).isInstanceOf(ParseResult.Parsed.class);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"not json", "{\"id\":", "{'id':'x'}", "{\"a\":1} trailing", "{\"a\":1}{\"b\":2}", "{\"a\":NaN}"})
    void parksUnparseableBody(String body) {
        thenRejected(body, ParserRejection.NOT_JSON);
    }

    @Test
    void parksDuplicateKeysNamingTheKey() {
        String body = envelopeWithDetail("{\"sku\":\"A\",\"sku\":\"B\"}");

        ParseResult.ParserRejected rejected = thenRejected(body, ParserRejection.NOT_JSON);

        assertThat(rejected.detail()).contains("'sku'");
    }

    @Test
    void namesARepeatedKeyOnOneLineWhateverLineBreaksItHolds() {
        String body = envelopeWithDetail("{\"a\\u2028b\\u0085c\\u2029d\":1,\"a\\u2028b\\u0085c\\u2029d\":2}");

        ParseResult.ParserRejected rejected = thenRejected(body, ParserRejection.NOT_JSON);

        assertThat(rejected.detail()).contains("'a?b?c?d'").doesNotContainPattern("[\\p{Cc}\\p{Zl}\\p{Zp}]");
    }

    @Test
    void parksDuplicateEnvelopeKeys() {
        thenRejected("{\"id\":\"a\",\"id\":\"b\"}", ParserRejection.NOT_JSON);
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "[{\"id\":\"x\"}]", "\"text\"", "42", "null", "true"})
    void parksJsonThatIsNotAnObject(String body) {
        thenRejected(body, ParserRejection.NOT_AN_ENVELOPE);
    }

    @Test
    void parksEnvelopeWithoutId() {
        thenRejected(envelopeWhere(e -> e.remove("id")), ParserRejection.MISSING_ID);
        thenRejected(envelopeWhere(e -> e.putNull("id")), ParserRejection.MISSING_ID);
        thenRejected(envelopeWhere(e -> e.put("id", " ")), ParserRejection.MISSING_ID);
        thenRejected(envelopeWhere(e -> e.put("id", 7)), ParserRejection.MISSING_ID);
    }

    @Test
    void parksEnvelopeWithoutDetailType() {
        thenRejected(envelopeWhere(e -> e.remove("detail-type")), ParserRejection.MISSING_DETAIL_TYPE);
        thenRejected(envelopeWhere(e -> e.put("detail-type", "")), ParserRejection.MISSING_DETAIL_TYPE);
        thenRejected(envelopeWhere(e -> e.putArray("detail-type")), ParserRejection.MISSING_DETAIL_TYPE);
    }

    @Test
    void parksEnvelopeWithoutSource() {
        thenRejected(envelopeWhere(e -> e.remove("source")), ParserRejection.MISSING_SOURCE);
        thenRejected(envelopeWhere(e -> e.putNull("source")), ParserRejection.MISSING_SOURCE);
    }

    @Test
    void parksEnvelopeWhoseDetailIsNotAnObject() {
        thenRejected(envelopeWhere(e -> e.remove("detail")), ParserRejection.DETAIL_NOT_OBJECT);
        thenRejected(envelopeWhere(e -> e.putNull("detail")), ParserRejection.DETAIL_NOT_OBJECT);
        thenRejected(envelopeWhere(e -> e.put("detail", "{\"id\":\"x\"}")), ParserRejection.DETAIL_NOT_OBJECT);
        thenRejected(envelopeWhere(e -> e.putArray("detail")), ParserRejection.DETAIL_NOT_OBJECT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"com.kahula.Event.", "com.kahula.Outer$", ".", "$"})
    void parksDetailTypeWithoutSimpleName(String detailType) {
        thenRejected(envelopeWhere(e -> e.put("detail-type", detailType)), ParserRejection.INVALID_FIELD);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"id\":{\"v\":1}}", "{\"id\":[1]}", "{\"id\":true}", "{\"id\":1.5}"})
    void parksProducerIdOfWrongType(String detail) {
        thenRejected(envelopeWithDetail(detail), ParserRejection.INVALID_FIELD);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"sagaId\":{}}", "{\"sagaId\":[\"s\"]}", "{\"sagaId\":false}"})
    void parksSagaIdOfWrongType(String detail) {
        thenRejected(envelopeWithDetail(detail), ParserRejection.INVALID_FIELD);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"domain\":{}}", "{\"domain\":[]}", "{\"domain\":true}"})
    void parksDomainOfWrongType(String detail) {
        thenRejected(envelopeWithDetail(detail), ParserRejection.INVALID_FIELD);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"n\":1e400}", "{\"n\":-1e400}", "{\"n\":1e99999999999}"})
    void parksNumberWithoutCanonicalForm(String detail) {
        thenRejected(envelopeWithDetail(detail), ParserRejection.INVALID_FIELD);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"timestamp\":\"yesterday\"}",
                "{\"timestamp\":\"2026-11-27T10:00:00\"}",
                "{\"timestamp\":\"2026-11-27\"}",
                "{\"timestamp\":\"2026-13-01T00:00:00Z\"}",
                "{\"timestamp\":1.5}",
                "{\"timestamp\":true}",
                "{\"timestamp\":{}}",
                "{\"timestamp\":99999999999999999999}",
                "{\"timestamp\":\"+12026-11-27T10:00:00Z\"}",
                "{\"timestamp\":253402300800000}"
            })
    void parksUnreadableDetailTimestamp(String detail) {
        thenRejected(envelopeWithDetail(detail), ParserRejection.INVALID_TIMESTAMP);
    }

    @Test
    void parksEventWithoutAnyTimestamp() {
        ObjectNode envelope = envelope();
        envelope.remove("time");
        detail(envelope).remove("timestamp");

        thenRejected(body(envelope), ParserRejection.INVALID_TIMESTAMP);
    }

    @Test
    void parksUnreadableEnvelopeTimeWhenDetailHasNone() {
        ObjectNode envelope = envelope().put("time", "soon");
        detail(envelope).remove("timestamp");

        thenRejected(body(envelope), ParserRejection.INVALID_TIMESTAMP);
    }

    @Test
    void rejectionDetailNeverQuotesPayloadValues() {
        String secret = "s3cr3t-value";

        assertThat(thenRejected("{\"a\":\"" + secret + "\" " + secret + "}", ParserRejection.NOT_JSON)
                        .detail())
                .doesNotContain(secret);
        assertThat(thenRejected(
                                envelopeWithDetail("{\"timestamp\":\"" + secret + "\"}"),
                                ParserRejection.INVALID_TIMESTAMP)
                        .detail())
                .doesNotContain(secret);
        assertThat(thenRejected(envelopeWhere(e -> e.put("detail-type", secret + ".")), ParserRejection.INVALID_FIELD)
                        .detail())
                .doesNotContain(secret);
    }

    @Test
    void rejectionDetailIsOneLineEvenForOddKeys() {
        String body = "{\"a\\nb\":1,\"a\\nb\":2}";

        assertThat(thenRejected(body, ParserRejection.NOT_JSON).detail()).doesNotContain("\n");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{",
                "}",
                "[",
                "\"",
                "{\"detail\":[]}",
                "{\"id\":\"\\ud800\"}",
                "{\"a\":1e99999999999}",
                "\u0000",
                "{\"id\":\"x\",\"detail-type\":\"T\",\"source\":\"s\",\"detail\":{\"timestamp\":-99999999999999999}}"
            })
    void neverThrowsForBadInput(String body) {
        assertThatNoException().isThrownBy(() -> parser.parse(body, RECEIVED_AT));
    }

    private void givenMaxBodyBytes(int maxBodyBytes) {
        parser = new EventParser(EventMapping.defaults(), maxBodyBytes);
    }

    private static String envelopeWhere(Consumer<ObjectNode> change) {
        ObjectNode envelope = envelope();
        change.accept(envelope);
        return body(envelope);
    }

    private static String padded(String json, int length) {
        return json + " ".repeat(Math.max(0, length - json.length()));
    }

    private ParseResult.ParserRejected thenRejected(String body, ParserRejection reason) {
        ParseResult result = parser.parse(body, RECEIVED_AT);
        assertThat(result).isInstanceOf(ParseResult.ParserRejected.class);
        ParseResult.ParserRejected rejected = (ParseResult.ParserRejected) result;
        assertThat(rejected.reason()).as(rejected.detail()).isEqualTo(reason);
        assertThat(rejected.detail()).isNotBlank().doesNotContain("\n");
        return rejected;
    }
}
