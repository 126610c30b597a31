package com.kahula.eventpersister.support;

import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;

/** Reads the service's own counters, as the end-to-end tests on either stack do. */
final class ServiceMetrics {

    private static final Duration QUIET = Duration.ofMillis(2500);

    private ServiceMetrics() {}

    static double events(MeterRegistry meters, String outcome) {
        return meters.get("persister.events").tag("outcome", outcome).counter().count();
    }

    /** Waits until no event has been processed for {@link #QUIET}: redeliveries of earlier tests would blur a count. */
    static void awaitQuiet(MeterRegistry meters) {
        long[] since = {System.nanoTime()};
        double[] last = {-1};
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    double total = meters.find("persister.events").counters().stream()
                            .mapToDouble(Counter::count)
                            .sum();
                    if (total != last[0]) {
                        last[0] = total;
                        since[0] = System.nanoTime();
                    }
                    return System.nanoTime() - since[0] > QUIET.toNanos();
                });
    }
}
