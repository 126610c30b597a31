package com.kahula.eventpersister.event;

import static com.kahula.eventpersister.event.GeneratedEnvelopes.SEED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import com.kahula.eventpersister.support.EventOracle;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The stored form of a time is fixed-width UTC and reads back as the instant it was written from, to the millisecond. */
class TimestampsPropertyTests {

    private static final int INPUTS = 1_000;

    /** An instant to write, named by itself. */
    record Moment(String label, Instant instant) {
        @Override
        public String toString() {
            return label;
        }
    }

    /** Both ends of years 0000-9999 first, then instants spread across them. */
    static List<Moment> instants() {
        return GeneratedEnvelopes.generate(INPUTS, index -> {
            Instant instant = switch (index) {
                case 1 -> GeneratedTimes.EARLIEST;
                case 2 -> GeneratedTimes.LATEST;
                default -> GeneratedTimes.instant(GeneratedEnvelopes.random(SEED, index));
            };
            return new Moment(GeneratedEnvelopes.label(SEED, index, instant.toString()), instant);
        });
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("instants")
    void readsBackWhatItWritesToTheMillisecond(Moment moment) {
        Instant instant = moment.instant();

        String written = Timestamps.format(instant);

        assertThat(Timestamps.parse(written))
                .as(() -> instant + " written as " + written)
                .isEqualTo(instant.truncatedTo(ChronoUnit.MILLIS));
        assertThat(written)
                .as(() -> instant + " in the fixed-width UTC form")
                .isEqualTo(EventOracle.storedTimestamp(instant));
    }

    @Test
    void refusesATimeWithoutMillisecondsOrWithAnOffset() {
        assertThatExceptionOfType(DateTimeException.class).isThrownBy(() -> Timestamps.parse("2026-11-27T10:00:00Z"));
        assertThatExceptionOfType(DateTimeException.class)
                .isThrownBy(() -> Timestamps.parse("2026-11-27T10:00:00.000+01:00"));
    }
}
