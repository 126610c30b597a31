package com.kahula.eventpersister.toolkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/** What {@code dead-letters summary} counts of one reason, and how it prints them. */
final class DeadLetterTally {

    /** How many detail-types and sources a reason lists, the most frequent first. */
    static final int TOP = 3;

    static final String LINE = "%-22s  %7s  %-9s  %-7s  %-7s  %-44s  %s%n";

    private long count;
    private int fewestReceives = Integer.MAX_VALUE;
    private int mostReceives;
    private @Nullable Duration oldest;
    private @Nullable Duration newest;
    private final Map<String, Long> detailTypes = new LinkedHashMap<>();
    private final Map<String, Long> sources = new LinkedHashMap<>();

    void add(DeadLetter letter, Instant now) {
        count++;
        fewestReceives = Math.min(fewestReceives, letter.receiveCount());
        mostReceives = Math.max(mostReceives, letter.receiveCount());
        Duration age = letter.age(now);
        oldest = oldest == null || age.compareTo(oldest) > 0 ? age : oldest;
        newest = newest == null || age.compareTo(newest) < 0 ? age : newest;
        JsonNode envelope = envelope(letter.body());
        detailTypes.merge(field(envelope, "detail-type"), 1L, Long::sum);
        sources.merge(field(envelope, "source"), 1L, Long::sum);
    }

    String table(String reason) {
        return LINE.formatted(
                reason,
                count,
                fewestReceives == mostReceives ? fewestReceives : fewestReceives + "-" + mostReceives,
                TimeFormats.age(oldest == null ? Duration.ZERO : oldest),
                TimeFormats.age(newest == null ? Duration.ZERO : newest),
                top(detailTypes).entrySet().stream()
                        .map(entry -> entry.getKey() + " (" + entry.getValue() + ")")
                        .collect(Collectors.joining(", ")),
                top(sources).entrySet().stream()
                        .map(entry -> entry.getKey() + " (" + entry.getValue() + ")")
                        .collect(Collectors.joining(", ")));
    }

    String ndjson(String reason) {
        ObjectNode line = DeadLettersCommand.JSON
                .createObjectNode()
                .put("reason", reason)
                .put("count", count)
                .put("fewest_receives", fewestReceives)
                .put("most_receives", mostReceives)
                .put("oldest_age_seconds", oldest == null ? 0 : oldest.toSeconds())
                .put("newest_age_seconds", newest == null ? 0 : newest.toSeconds());
        ObjectNode types = line.putObject("top_detail_types");
        top(detailTypes).forEach(types::put);
        ObjectNode topSources = line.putObject("top_sources");
        top(sources).forEach(topSources::put);
        return line.toString();
    }

    private static Map<String, Long> top(Map<String, Long> counts) {
        Map<String, Long> top = new LinkedHashMap<>();
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
                        .thenComparing(Map.Entry.comparingByKey()))
                .limit(TOP)
                .forEach(entry -> top.put(entry.getKey(), entry.getValue()));
        return top;
    }

    private static @Nullable JsonNode envelope(String body) {
        try {
            return DeadLettersCommand.JSON.readTree(body);
        } catch (IOException notJson) {
            return null;
        }
    }

    /** A text field of the envelope, bounded; a placeholder when the body has none. */
    private static String field(@Nullable JsonNode envelope, String name) {
        if (envelope == null || !envelope.isObject()) {
            return "(not a JSON object)";
        }
        JsonNode value = envelope.get(name);
        if (value == null || !value.isTextual()) {
            return "(no " + name + ")";
        }
        String text = value.asText().replaceAll("\\p{Cntrl}", " ");
        return text.length() <= 80 ? text : text.substring(0, 77) + "...";
    }
}
