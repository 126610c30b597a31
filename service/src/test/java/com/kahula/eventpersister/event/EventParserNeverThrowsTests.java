package com.kahula.eventpersister.event;

import static com.kahula.eventpersister.event.GeneratedEnvelopes.RECEIVED_AT;
import static com.kahula.eventpersister.event.GeneratedEnvelopes.SEED;
import static com.kahula.eventpersister.event.GeneratedEnvelopes.SHOWN;
import static com.kahula.eventpersister.event.GeneratedEnvelopes.answerOf;
import static com.kahula.eventpersister.event.GeneratedEnvelopes.shown;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.kahula.eventpersister.event.GeneratedEnvelopes.Body;
import com.kahula.eventpersister.event.GeneratedEnvelopes.Envelope;
import com.kahula.eventpersister.event.GeneratedEnvelopes.Refused;
import com.kahula.eventpersister.event.GeneratedEnvelopes.Stored;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Whatever the body, the parser answers Parsed or Rejected with a one-line detail and never throws; a generated valid
 * envelope is parsed and a bad one refused with the reason it was made for.
 */
class EventParserNeverThrowsTests {

    private static final int INPUTS = 1_000;

    private final EventParser parser = new EventParser(EventMapping.defaults(), GeneratedEnvelopes.MAX_BODY_BYTES);

    static List<Body> texts() {
        return GeneratedEnvelopes.texts(SEED, INPUTS);
    }

    static List<Body> shapes() {
        return GeneratedEnvelopes.shapes(SEED, INPUTS);
    }

    static List<Envelope> envelopes() {
        return GeneratedEnvelopes.mixed(SEED, INPUTS);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("texts")
    void answersAnyTextWithoutThrowing(Body body) {
        thenAnswered(body.label(), body.text());
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("shapes")
    void answersAnyEnvelopeShapeWithoutThrowing(Body body) {
        thenAnswered(body.label(), body.text());
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("envelopes")
    void parsesValidEnvelopesAndRefusesBadOnesWithTheirReason(Envelope envelope) {
        ParseResult result = thenAnswered(envelope.label(), envelope.body());

        String expected = switch (envelope.answer()) {
            case Stored ignored -> "parsed";
            case Refused refused -> "refused, " + refused.reason().code();
        };
        assertThat(answerOf(result))
                .as(() -> described(envelope.label(), envelope.body()) + "\nanswer: " + shown(result.toString()))
                .isEqualTo(expected);
    }

    @Test
    void generatedEnvelopesAreMostlyValidAndCoverEveryRejection() {
        List<Envelope> envelopes = envelopes();

        assertThat(envelopes.stream().filter(envelope -> envelope.answer() instanceof Stored))
                .as("valid envelopes among %d", envelopes.size())
                .hasSizeBetween(INPUTS * 3 / 4, INPUTS * 17 / 20);
        assertThat(envelopes.stream()
                        .map(Envelope::answer)
                        .filter(Refused.class::isInstance)
                        .map(answer -> ((Refused) answer).reason())
                        .distinct())
                .containsExactlyInAnyOrder(ParserRejection.values());
    }

    private ParseResult thenAnswered(String label, String body) {
        Supplier<String> described = () -> described(label, body);
        AtomicReference<ParseResult> answer = new AtomicReference<>();

        assertThatCode(() -> answer.set(parser.parse(body, RECEIVED_AT)))
                .as(described)
                .doesNotThrowAnyException();

        ParseResult result = answer.get();
        assertThat(result).as(described).isNotNull();
        if (result instanceof ParseResult.ParserRejected rejected) {
            assertThat(rejected.detail())
                    .as(described)
                    .withRepresentation(SHOWN)
                    .isNotBlank()
                    .doesNotContainPattern("[\\p{Cc}\\p{Zl}\\p{Zp}]");
        }
        return result;
    }

    private static String described(String label, String body) {
        return label + "\nbody: " + shown(body);
    }
}
