package com.kahula.eventpersister.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.kahula.eventpersister.support.BadInputs;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The parser's share of the bad-input corpus: what it refuses, with which reason; the rest reaches the store. */
class BadInputsTests {

    private final EventParser parser = new EventParser(EventMapping.defaults(), BadInputs.MAX_BODY_BYTES);

    static List<BadInputs.Case> corpus() {
        return BadInputs.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void parsesOrRefusesEachCaseAsTheCorpusSays(BadInputs.Case input) {
        ParseResult result = parser.parse(input.body(), Instant.parse("2026-11-30T10:00:00Z"));

        BadInputs.Expected expected = input.expected();
        if (expected.isStored()) {
            assertThat(result)
                    .isInstanceOfSatisfying(
                            ParseResult.Parsed.class,
                            parsed -> assertThat(parsed.event().uniqueId()).isEqualTo(expected.detail()));
        } else if (expected.detail().equals("store-rejected")) {
            assertThat(result).as("left for the store to refuse").isInstanceOf(ParseResult.Parsed.class);
        } else {
            assertThat(result)
                    .isInstanceOfSatisfying(
                            ParseResult.ParserRejected.class,
                            rejected -> assertThat(rejected.reason().code()).isEqualTo(expected.detail()));
        }
    }

    @org.junit.jupiter.api.Test
    void theCorpusHoldsAtLeastFortyKinds() {
        assertThat(BadInputs.all())
                .hasSizeGreaterThanOrEqualTo(40)
                .extracting(BadInputs.Case::name)
                .doesNotHaveDuplicates();
    }
}
