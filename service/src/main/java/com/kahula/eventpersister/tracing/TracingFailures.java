package com.kahula.eventpersister.tracing;

import com.kahula.eventpersister.observability.LogValues;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs a failure of the tracing itself, at most once a minute: the messages go on untraced meanwhile. */
final class TracingFailures {

    private static final Logger log = LoggerFactory.getLogger(TracingFailures.class);
    private static final long EVERY_NANOS = Duration.ofMinutes(1).toNanos();
    private static final AtomicLong lastLogged = new AtomicLong(System.nanoTime() - EVERY_NANOS);

    private TracingFailures() {}

    static void report(RuntimeException error) {
        long now = System.nanoTime();
        long last = lastLogged.get();
        if (now - last >= EVERY_NANOS && lastLogged.compareAndSet(last, now)) {
            log.warn(
                    "Tracing failed; the messages go on untraced ({}); logged at most once a minute",
                    LogValues.bounded(String.valueOf(error)));
        }
    }
}
