package com.kahula.eventpersister.toolkit;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.function.Supplier;

/** A progress line on stderr at most every few seconds while long work goes on: its counts and its rate. */
final class Progress {

    private static final long EVERY_NANOS = Duration.ofSeconds(5).toNanos();

    private final PrintWriter err;
    private final String what;
    private final long started = System.nanoTime();
    private long lastPrinted = started;

    Progress(PrintWriter err, String what) {
        this.err = err;
        this.what = what;
    }

    /** Prints {@code counts} and the rate of {@code done} when the last line is old enough. */
    void tick(long done, Supplier<String> counts) {
        long now = System.nanoTime();
        if (now - lastPrinted >= EVERY_NANOS) {
            lastPrinted = now;
            err.printf("%s: %s, %s/s%n", what, counts.get(), rate(done, now));
            err.flush();
        }
    }

    /** The rate of {@code done} since the start, per second, rounded. */
    long rate(long done) {
        return rate(done, System.nanoTime());
    }

    private long rate(long done, long now) {
        double seconds = Math.max(now - started, 1) / 1e9;
        return Math.round(done / seconds);
    }
}
