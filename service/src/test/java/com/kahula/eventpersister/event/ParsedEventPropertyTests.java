package com.kahula.eventpersister.event;

import static com.kahula.eventpersister.event.GeneratedEnvelopes.RECEIVED_AT;
import static com.kahula.eventpersister.event.GeneratedEnvelopes.SEED;
import static com.kahula.eventpersister.event.GeneratedEnvelopes.SHOWN;
import static com.kahula.eventpersister.event.GeneratedEnvelopes.answerOf;
import static com.kahula.eventpersister.event.GeneratedEnvelopes.shown;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.kahula.eventpersister.event.GeneratedEnvelopes.Envelope;
import com.kahula.eventpersister.event.GeneratedEnvelopes.Stored;
import com.kahula.eventpersister.support.EventOracle;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the parser stores for a valid envelope is what the generator put in: the unique id by its rule (the producer id
 * when present and not blank, else the envelope id), every other column as sent, the detail with every number's
 * digits and scale, and the hash of its canonical form.
 */
class ParsedEventPropertyTests {

    private static final int INPUTS = 1_000;

    /** Plain Jackson, apart from the service's configuration: exact decimals, nothing else set. */
    private static final ObjectMapper PLAIN =
            new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private static final List<Envelope> ENVELOPES = GeneratedEnvelopes.valid(SEED, INPUTS);

    private final EventParser parser = new EventParser(EventMapping.defaults(), GeneratedEnvelopes.MAX_BODY_BYTES);

    static List<Envelope> envelopes() {
        return ENVELOPES;
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("envelopes")
    void storesTheUniqueIdByItsRuleAndEveryOtherColumnAsSent(Envelope envelope) {
        Stored expected = (Stored) envelope.answer();

        StoredEvent event = thenParsed(envelope);

        assertThat(event)
                .as(() -> described(envelope))
                .withRepresentation(SHOWN)
                .extracting(StoredEvent::uniqueId, StoredEvent::mbocdpId, StoredEvent::awsId, StoredEvent::eventName)
                .containsExactly(expected.uniqueId(), expected.mbocdpId(), expected.awsId(), expected.eventName());
        assertThat(event)
                .as(() -> described(envelope))
                .withRepresentation(SHOWN)
                .extracting(
                        StoredEvent::sagaId,
                        StoredEvent::domain,
                        StoredEvent::detailType,
                        StoredEvent::source,
                        StoredEvent::timestamp,
                        StoredEvent::receivedAt)
                .containsExactly(
                        expected.sagaId(),
                        expected.domain(),
                        expected.detailType(),
                        expected.source(),
                        expected.timestamp(),
                        EventOracle.storedTimestamp(RECEIVED_AT));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("envelopes")
    void storesTheDetailWithEveryNumberAtItsExactDigitsAndScale(Envelope envelope) {
        Stored expected = (Stored) envelope.answer();

        StoredEvent event = thenParsed(envelope);

        // Map and BigDecimal equality: 1.10 and 1.1 differ, as the stored payload must keep them apart.
        assertThat(plainTree(event.payload()))
                .as(() -> described(envelope) + "\nstored payload: " + shown(event.payload()))
                .withRepresentation(SHOWN)
                .isEqualTo(plainTree(expected.detail()));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("envelopes")
    void hashIsSha256OfTheCanonicalDetailWithoutTheExcludedFields(Envelope envelope) {
        Stored expected = (Stored) envelope.answer();

        StoredEvent event = thenParsed(envelope);

        assertThat(event.payloadHash())
                .as(() -> described(envelope) + "\ncanonical form: "
                        + shown(CanonicalJson.of(GeneratedJson.hashed(expected.content()))))
                .isEqualTo(CanonicalJson.sha256(GeneratedJson.hashed(expected.content())));
    }

    private StoredEvent thenParsed(Envelope envelope) {
        ParseResult result = parser.parse(envelope.body(), RECEIVED_AT);
        assertThat(answerOf(result))
                .as(() -> described(envelope) + "\nanswer: " + shown(result.toString()))
                .isEqualTo("parsed");
        return ((ParseResult.Parsed) result).event();
    }

    /** The JSON as plain Java values, every number a BigDecimal so that an integer and its decimal twin compare. */
    private static @Nullable Object plainTree(String json) {
        try {
            return exact(PLAIN.readValue(json, Object.class));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static @Nullable Object exact(@Nullable Object value) {
        return switch (value) {
            case null -> null;
            case Map<?, ?> map -> {
                Map<Object, Object> exact = new LinkedHashMap<>();
                map.forEach((key, child) -> exact.put(key, exact(child)));
                yield exact;
            }
            case List<?> list ->
                list.stream().map(ParsedEventPropertyTests::exact).toList();
            case Integer integer -> new BigDecimal(integer);
            case Long integer -> new BigDecimal(integer);
            case BigInteger integer -> new BigDecimal(integer);
            default -> value;
        };
    }

    private static String described(Envelope envelope) {
        return envelope.label() + "\nbody: " + shown(envelope.body());
    }
}
