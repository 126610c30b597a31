package com.kahula.bench;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The problems the chaos ledger finds, by kind with a few examples each; a row's columns and times checked in. */
final class ChaosLedgerFindings {

    /** The form in which the service stores a time. */
    static final DateTimeFormatter STORED_TIME = DateTimeFormatter.ofPattern(
                    "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private static final int EXAMPLES = 3;

    private final SortedMap<String, Integer> problems = new TreeMap<>();
    private final List<String> examples = new ArrayList<>();
    private final Instant started;
    private final Instant ended;

    ChaosLedgerFindings(Instant started, Instant ended) {
        this.started = started;
        this.ended = ended;
    }

    void add(String kind, String example) {
        if (problems.merge(kind, 1, Integer::sum) <= EXAMPLES) {
            examples.add(kind + ": " + example);
        }
    }

    /** Each expected column with its value, and no attribute beyond them and {@code checkedApart}. */
    void columns(Map<String, AttributeValue> row, Map<String, String> expected, Set<String> checkedApart) {
        String id = Objects.toString(text(row, "unique_id"));
        expected.forEach((column, value) -> {
            if (!value.equals(text(row, column))) {
                add(
                        column.equals("payload_hash")
                                ? "wrong hash"
                                : column.equals("payload") ? "changed payload" : "wrong " + column,
                        id);
            }
        });
        for (String attribute : row.keySet()) {
            if (!expected.containsKey(attribute) && !checkedApart.contains(attribute)) {
                add("unexpected attribute " + attribute, id);
            }
        }
    }

    /** A time the service wrote during the run, in the stored form. */
    void storedTime(Map<String, AttributeValue> row, String column) {
        String value = text(row, column);
        try {
            Instant time = Instant.from(STORED_TIME.parse(Objects.requireNonNull(value)));
            if (!STORED_TIME.format(time).equals(value)
                    || time.isBefore(started.minusSeconds(1))
                    || time.isAfter(ended.plusSeconds(1))) {
                add("wrong " + column, text(row, "unique_id") + ": " + value);
            }
        } catch (DateTimeParseException | NullPointerException e) {
            add("wrong " + column, text(row, "unique_id") + ": " + value);
        }
    }

    /** A row's attribute as a string, null when the row has none. */
    static String text(Map<String, AttributeValue> row, String attribute) {
        AttributeValue value = row.get(attribute);
        return value == null ? null : value.s();
    }

    SortedMap<String, Integer> problems() {
        return problems;
    }

    List<String> examples() {
        return examples;
    }
}
