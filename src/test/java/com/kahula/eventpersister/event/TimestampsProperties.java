package com.kahula.eventpersister.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/** The stored form of a time reads back as the instant it was written from, to the millisecond. */
class TimestampsProperties {

    @Property(tries = 2000)
    void readsBackWhatItWrites(@ForAll @LongRange(min = -62_167_219_200_000L, max = 253_402_300_799_999L) long millis) {
        Instant instant = Instant.ofEpochMilli(millis).plusNanos(999_999);

        assertThat(Timestamps.parse(Timestamps.format(instant))).isEqualTo(instant.truncatedTo(ChronoUnit.MILLIS));
    }

    @Test
    void refusesTextInAnyOtherForm() {
        assertThatExceptionOfType(DateTimeException.class).isThrownBy(() -> Timestamps.parse("2026-11-27T10:00:00Z"));
        assertThatExceptionOfType(DateTimeException.class)
                .isThrownBy(() -> Timestamps.parse("2026-11-27T10:00:00.000+01:00"));
    }
}
