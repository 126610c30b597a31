package com.kahula.eventpersister.event;

import static com.kahula.eventpersister.event.GeneratedEnvelopes.RECEIVED_AT;
import static com.kahula.eventpersister.event.GeneratedEnvelopes.SEED;
import static com.kahula.eventpersister.event.GeneratedEnvelopes.answerOf;
import static com.kahula.eventpersister.event.GeneratedEnvelopes.shown;
import static org.assertj.core.api.Assertions.assertThat;

import com.kahula.eventpersister.event.GeneratedDetails.Pair;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The payload hash compares content as RFC 8785 does: the same for any spelling of it and whatever the excluded fields
 * hold, different for any other change.
 */
class PayloadHashPropertyTests {

    private static final int INPUTS = 1_000;

    private final EventParser parser = new EventParser(EventMapping.defaults(), GeneratedEnvelopes.MAX_BODY_BYTES);

    static List<Pair> respellings() {
        return GeneratedDetails.respelled(SEED, INPUTS);
    }

    static List<Pair> excludedFieldChanges() {
        return GeneratedDetails.excludedChanged(SEED, INPUTS);
    }

    static List<Pair> contentChanges() {
        return GeneratedDetails.contentChanged(SEED, INPUTS);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("respellings")
    void keyOrderWhitespaceNumberSpellingAndEscapesDoNotChangeTheHash(Pair pair) {
        thenSameHash(pair);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("excludedFieldChanges")
    void excludedFieldsDoNotChangeTheHash(Pair pair) {
        thenSameHash(pair);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("contentChanges")
    void anyOtherChangeOfContentChangesTheHash(Pair pair) {
        assertThat(hashOf(pair.second(), pair)).as(() -> described(pair)).isNotEqualTo(hashOf(pair.first(), pair));
    }

    private void thenSameHash(Pair pair) {
        assertThat(hashOf(pair.second(), pair)).as(() -> described(pair)).isEqualTo(hashOf(pair.first(), pair));
    }

    private String hashOf(String body, Pair pair) {
        ParseResult result = parser.parse(body, RECEIVED_AT);
        assertThat(answerOf(result))
                .as(() -> described(pair) + "\nanswer: " + shown(result.toString()))
                .isEqualTo("parsed");
        return ((ParseResult.Parsed) result).event().payloadHash();
    }

    private static String described(Pair pair) {
        return pair.label() + "\nfirst:  " + shown(pair.first()) + "\nsecond: " + shown(pair.second());
    }
}
