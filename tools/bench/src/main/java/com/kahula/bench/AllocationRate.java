package com.kahula.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a JVM allocated on its heap per drained message, from its GC log ({@code -Xlog:gc:file=...:uptimenanos}): the
 * heap's use before each collection less its use after the one before, summed between the first and the last collection
 * of the measured window, over the messages drained between those two. Unlike CPU time it does not move with the
 * machine's speed or load, so a small change in the work per message shows in one run.
 */
final class AllocationRate {

    /** {@code [123ns] GC(4) Pause Young (Allocation Failure) 68M->12M(247M) 4.1ms}, and G1's and full pauses alike. */
    private static final Pattern PAUSE =
            Pattern.compile("^\\[(\\d+)ns\\].* GC\\(\\d+\\) Pause .*? (\\d+)([KMG])->(\\d+)([KMG])\\(\\d+[KMG]\\) .*$");

    private AllocationRate() {}

    /** One collection: when (nanoseconds since the JVM started) and the heap's use before and after it, in KB. */
    record Collection(long uptimeNanos, long beforeKb, long afterKb) {}

    /** The collections of a GC log in their order; none if the file does not exist. */
    static List<Collection> read(Path gcLog) {
        if (!Files.exists(gcLog)) {
            return List.of();
        }
        try {
            List<Collection> collections = new ArrayList<>();
            for (String line : Files.readAllLines(gcLog)) {
                Matcher pause = PAUSE.matcher(line);
                if (pause.matches()) {
                    collections.add(new Collection(
                            Long.parseLong(pause.group(1)),
                            kilobytes(pause.group(2), pause.group(3)),
                            kilobytes(pause.group(4), pause.group(5))));
                }
            }
            return collections;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the GC log " + gcLog, e);
        }
    }

    /**
     * KB allocated per message between the first and the last collection inside {@code remaining}'s time span, or NaN
     * when fewer than two collections fall inside it or no message was drained between them.
     *
     * @param jvmStartNanos when the JVM was spawned, on the clock of {@code remaining}'s keys (a constant offset to its
     *     true start shifts both ends alike and cancels out at a steady rate)
     * @param remaining messages left in the queue ({@link System#nanoTime()} to count), sampled while it drained
     */
    static double kbPerMessage(
            List<Collection> collections, long jvmStartNanos, NavigableMap<Long, Integer> remaining) {
        if (remaining.size() < 2) {
            return Double.NaN;
        }
        long from = remaining.firstKey();
        long to = remaining.lastKey();
        List<Collection> inside = collections.stream()
                .filter(gc -> jvmStartNanos + gc.uptimeNanos() >= from && jvmStartNanos + gc.uptimeNanos() <= to)
                .toList();
        if (inside.size() < 2) {
            return Double.NaN;
        }
        long allocatedKb = 0;
        for (int i = 1; i < inside.size(); i++) {
            allocatedKb += inside.get(i).beforeKb() - inside.get(i - 1).afterKb();
        }
        double drained = remainingAt(
                        remaining, jvmStartNanos + inside.getFirst().uptimeNanos())
                - remainingAt(remaining, jvmStartNanos + inside.getLast().uptimeNanos());
        return drained > 0 ? allocatedKb / drained : Double.NaN;
    }

    /** The messages left at {@code time}, linear between the two samples around it. */
    private static double remainingAt(NavigableMap<Long, Integer> remaining, long time) {
        Map.Entry<Long, Integer> before = remaining.floorEntry(time);
        Map.Entry<Long, Integer> after = remaining.ceilingEntry(time);
        if (before.getKey().equals(after.getKey())) {
            return before.getValue();
        }
        double share = (double) (time - before.getKey()) / (after.getKey() - before.getKey());
        return before.getValue() + share * (after.getValue() - before.getValue());
    }

    private static long kilobytes(String amount, String unit) {
        long value = Long.parseLong(amount);
        return switch (unit) {
            case "K" -> value;
            case "M" -> value * 1024;
            default -> value * 1024 * 1024;
        };
    }
}
