package com.kahula.eventpersister.toolkit;

import com.kahula.eventpersister.event.Timestamps;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** The toolkit's times: read as ISO-8601 instants, compared with the table's fixed-width timestamps. */
final class Times {

    private Times() {}

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
}
