package com.kahula.eventpersister.event;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;

/** Reads event timestamps and writes them in the fixed-width UTC form whose string order is time order. */
public final class Timestamps {

    // Always three fraction digits: ISO_INSTANT drops zero fractions, which would break lexical ordering.
    private static final DateTimeFormatter FIXED = DateTimeFormatter.ofPattern(
                    "uuuu-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    // Outside four-digit years the formatter adds a sign or a digit and the fixed width is lost.
    private static final Instant EARLIEST =
            LocalDate.of(0, 1, 1).atStartOfDay(ZoneOffset.UTC).toInstant();
    private static final Instant LATEST =
            LocalDate.of(10_000, 1, 1).atStartOfDay(ZoneOffset.UTC).toInstant();

    private Timestamps() {}

    /** Formats {@code instant} truncated to milliseconds, e.g. {@code 2026-11-27T10:00:00.000Z}. */
    public static String format(Instant instant) {
        if (!isSortable(instant)) {
            throw new IllegalArgumentException("instant outside years 0000-9999");
        }
        return FIXED.format(instant);
    }

    /** Reads the form {@link #format} writes; throws {@link DateTimeException} on any other text. */
    public static Instant parse(String fixed) {
        return FIXED.parse(fixed, Instant::from);
    }

    /** Parses ISO-8601 date-time text with a {@code Z} or numeric offset; empty if it is not one or not sortable. */
    static Optional<Instant> parseIso(String text) {
        try {
            return sortable(DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(text, Instant::from));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    /** Reads milliseconds since the epoch; empty if they fall outside the sortable range. */
    static Optional<Instant> fromEpochMillis(long millis) {
        return sortable(Instant.ofEpochMilli(millis));
    }

    private static Optional<Instant> sortable(Instant instant) {
        return isSortable(instant) ? Optional.of(instant) : Optional.empty();
    }

    private static boolean isSortable(Instant instant) {
        return !instant.isBefore(EARLIEST) && instant.isBefore(LATEST);
    }
}
