package com.kahula.eventpersister.toolkit;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The counts of a restore as it goes, for its progress line, and its report at the end. */
final class RestoreReport {

    private static final int SKIPPED_LISTED = 100;

    private final int objectsInRange;
    int alreadyDone;
    int objects;
    long envelopes;
    long sent;
    long skipped;
    private final List<String> skippedLines = new ArrayList<>();

    RestoreReport(int objectsInRange) {
        this.objectsInRange = objectsInRange;
    }

    /** Counts a line that cannot be sent, listing the first ones by where they are. */
    void skip(String where) {
        skipped++;
        if (skippedLines.size() < SKIPPED_LISTED) {
            skippedLines.add(where);
        }
    }

    String line() {
        return "objects %d/%d%s, envelopes %d, sent %d, skipped %d"
                .formatted(
                        objects + alreadyDone,
                        objectsInRange,
                        alreadyDone > 0 ? " (" + alreadyDone + " done before)" : "",
                        envelopes,
                        sent,
                        skipped);
    }

    /** Whether the range held any object to restore. */
    boolean anyObjects() {
        return objectsInRange > 0;
    }

    /** The report on stdout: the counts and rate, the skipped lines, and the checkpoint's file if one was kept. */
    void print(PrintWriter out, String what, long rate, @Nullable Path checkpoint) {
        out.printf("%s: %s, %d envelopes/s%n", what, line(), rate);
        skippedLines.forEach(where -> out.println("skipped " + where));
        if (skipped > skippedLines.size()) {
            out.printf("... and %d more skipped lines%n", skipped - skippedLines.size());
        }
        if (checkpoint != null) {
            out.println("checkpoint: " + checkpoint);
        }
    }
}
