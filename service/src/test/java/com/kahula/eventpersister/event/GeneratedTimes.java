package com.kahula.eventpersister.event;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Random;

/** Random instants across years 0000-9999 (both ends included), the ISO-8601 texts denoting them, their stored form. */
final class GeneratedTimes {

    /** 0000-01-01T00:00:00Z, the first instant the service stores. */
    static final Instant EARLIEST = Instant.ofEpochSecond(-62_167_219_200L);

    /** 9999-12-31T23:59:59.999999999Z, the last instant the service stores. */
    static final Instant LATEST = Instant.ofEpochSecond(253_402_300_799L, 999_999_999);

    private static final long NANOS_PER_DAY = 86_400_000_000_000L;
    private static final long SECONDS_PER_YEAR = 31_556_952L;
    private static final String[] UTC_SPELLINGS = {"Z", "Z", "+00:00", "-00:00", "z"};

    private GeneratedTimes() {}

    /** An ISO-8601 text with an offset, and the instant it denotes. */
    record Iso(String text, Instant instant) {}

    /** An instant in years 0000-9999; one in ten lies within a day of either end. */
    static Instant instant(Random random) {
        return switch (random.nextInt(10)) {
            case 0 -> EARLIEST.plusNanos(random.nextLong(NANOS_PER_DAY));
            case 1 -> LATEST.minusNanos(random.nextLong(NANOS_PER_DAY));
            default ->
                Instant.ofEpochSecond(
                        random.nextLong(EARLIEST.getEpochSecond(), LATEST.getEpochSecond() + 1), nanos(random));
        };
    }

    /** An instant before year 0000 or from year 10000 on, which the service cannot store. */
    static Instant outOfRange(Random random) {
        return random.nextBoolean()
                ? EARLIEST.minusSeconds(random.nextLong(SECONDS_PER_YEAR * 5_000))
                        .minusNanos(1 + random.nextInt(999_999_999))
                : LATEST.plusNanos(1).plusSeconds(random.nextLong(SECONDS_PER_YEAR * 5_000));
    }

    /**
     * Writes {@code instant} as ISO-8601 with a random offset, precision (minutes, seconds or 1 to 9 fraction digits)
     * and letter case; the returned instant is the one the text denotes, the given one cut to that precision.
     */
    static Iso iso(Instant instant, Random random) {
        ZoneOffset offset = offset(random);
        int precision = random.nextInt(12);
        Instant written;
        String secondsText;
        if (precision == 0) {
            written = instant.truncatedTo(ChronoUnit.MINUTES);
            secondsText = "";
        } else {
            int digits = Math.min(precision - 1, 9);
            long unit = (long) Math.pow(10, 9 - digits);
            written = instant.minusNanos(instant.getNano() % unit);
            String fraction =
                    digits == 0 ? "" : "." + "%09d".formatted(written.getNano()).substring(0, digits);
            secondsText = ":%02d".formatted(written.atOffset(offset).getSecond()) + fraction;
        }
        OffsetDateTime local = written.atOffset(offset);
        String offsetText =
                offset.getTotalSeconds() == 0 ? UTC_SPELLINGS[random.nextInt(UTC_SPELLINGS.length)] : offset.getId();
        String text = year(local.getYear())
                + "-%02d-%02d".formatted(local.getMonthValue(), local.getDayOfMonth())
                + (random.nextInt(20) == 0 ? 't' : 'T')
                + "%02d:%02d".formatted(local.getHour(), local.getMinute())
                + secondsText
                + offsetText;
        return new Iso(text, written);
    }

    private static int nanos(Random random) {
        return switch (random.nextInt(3)) {
            case 0 -> 0;
            case 1 -> random.nextInt(1_000) * 1_000_000;
            default -> random.nextInt(1_000_000_000);
        };
    }

    private static ZoneOffset offset(Random random) {
        if (random.nextInt(3) == 0) {
            return ZoneOffset.UTC;
        }
        int hours = random.nextInt(19);
        int minutes = hours == 18 ? 0 : 15 * random.nextInt(4);
        int sign = random.nextBoolean() ? 1 : -1;
        return ZoneOffset.ofTotalSeconds(sign * (hours * 3_600 + minutes * 60));
    }

    /** ISO-8601's year: four digits, a sign beyond them or before year 0000. */
    private static String year(int year) {
        if (year < 0) {
            return "-%04d".formatted(-year);
        }
        return year > 9_999 ? "+" + year : "%04d".formatted(year);
    }
}
