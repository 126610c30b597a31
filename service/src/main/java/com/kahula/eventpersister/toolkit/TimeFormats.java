package com.kahula.eventpersister.toolkit;

import com.kahula.eventpersister.event.Timestamps;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.springframework.boot.convert.DurationStyle;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The toolkit's times: read as ISO-8601 instants, compared with the table's fixed-width timestamps; ages read as the
 * service's settings read durations.
 */
final class TimeFormats {

    private TimeFormats() {}

    /** The table's form of an instant ({@code 2026-11-27T10:00:00.000Z}), whose string order is time order. */
    static String stored(Instant instant) {
        return Timestamps.format(instant);
    }

    /** Reads {@code --since} and {@code --until}: an ISO-8601 instant with its offset. */
    static final class Converter implements ITypeConverter<Instant> {

        @Override
        public Instant convert(String value) {
            try {
                return java.time.OffsetDateTime.parse(value).toInstant();
            } catch (DateTimeParseException e) {
                throw new TypeConversionException(
                        "'" + value + "' is not an ISO-8601 time with an offset, like 2026-11-27T10:00:00Z");
            }
        }
    }

    /** Reads an age such as {@code --older-than}: {@code 90s}, {@code 10m}, {@code 2h}, {@code 1d} or ISO-8601. */
    static final class AgeConverter implements ITypeConverter<Duration> {

        @Override
        public Duration convert(String value) {
            Duration age;
            try {
                age = DurationStyle.detectAndParse(value.strip());
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("'" + value + "' is not a duration like 90s, 10m, 2h, 1d or PT10M");
            }
            if (age.isNegative()) {
                throw new TypeConversionException("'" + value + "' is negative");
            }
            return age;
        }
    }

    /** An age as a person reads it: {@code 45s}, {@code 12m03s}, {@code 2h05m}, {@code 3d04h}. */
    static String age(Duration age) {
        long seconds = Math.max(age.toSeconds(), 0);
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return "%dm%02ds".formatted(seconds / 60, seconds % 60);
        }
        if (seconds < 86_400) {
            return "%dh%02dm".formatted(seconds / 3600, seconds % 3600 / 60);
        }
        return "%dd%02dh".formatted(seconds / 86_400, seconds % 86_400 / 3600);
    }
}
