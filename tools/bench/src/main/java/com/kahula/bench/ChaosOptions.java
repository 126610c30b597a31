package com.kahula.bench;

import com.kahula.eventpersister.config.PersisterProperties;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.context.properties.bind.Binder;

/** The chaos soak's options and the settings derived from them: the schedule's length, the queue, the breaker. */
record ChaosOptions(int events, int kills, double faultScale, boolean longOutages, Path jar, Path logs) {

    static final String ENV = "chaos";
    static final String QUEUE = "kahula-event-persister-" + ENV;
    static final String TABLE = "kahula-events-" + ENV;
    // The queue of a soak with long outages: a visibility timeout that holds the default retry budget (the service
    // refuses to start on one that does not) and few receives, so that a long outage outlasts every receive.
    static final Duration LONG_OUTAGE_VISIBILITY = Duration.ofSeconds(45);
    static final int LONG_OUTAGE_MAX_RECEIVES = 3;
    // each long outage outlasts a message's whole life on the queue (visibility x maxReceiveCount) this many times over
    static final int LONG_OUTAGE_RECEIVES = 3;
    // the service's defaults; at full scale the soak runs with the breaker's, without long outages with the queue's
    private static final Duration BREAKER_OPEN_FOR = new Binder()
            .bindOrCreate("persister.follow-up", PersisterProperties.FollowUps.class)
            .circuitBreakerOpenFor();
    private static final PersisterProperties.Provisioning QUEUE_DEFAULTS =
            new Binder().bindOrCreate("persister.provisioning", PersisterProperties.Provisioning.class);

    /** The options of {@code bench/chaos.sh}; on a usage error, says so and exits with 2. */
    static ChaosOptions parse(String[] args) {
        Map<String, String> options = new HashMap<>(Map.of(
                "--events",
                "50000",
                "--kills",
                "3",
                "--fault-scale",
                "1",
                "--long-outages",
                "on",
                "--jar",
                "../../service/target/event-persister-0.1.0-SNAPSHOT-exec.jar"));
        for (int i = 0; i < args.length; i += 2) {
            if (!options.containsKey(args[i]) || i + 1 == args.length) {
                System.err.println(
                        "usage: bench/chaos.sh [--events 50000] [--kills 3] [--fault-scale 1] [--long-outages on|off]"
                                + " [--jar <path>]");
                System.exit(2);
            }
            options.put(args[i], args[i + 1]);
        }
        if (!(Double.parseDouble(options.get("--fault-scale")) > 0)) {
            System.err.println("--fault-scale must be above 0");
            System.exit(2);
        }
        if (!Set.of("on", "off").contains(options.get("--long-outages"))) {
            System.err.println("--long-outages is on or off");
            System.exit(2);
        }
        return new ChaosOptions(
                Integer.parseInt(options.get("--events")),
                Integer.parseInt(options.get("--kills")),
                Double.parseDouble(options.get("--fault-scale")),
                options.get("--long-outages").equals("on"),
                Path.of(options.get("--jar")),
                Path.of("target/chaos"));
    }

    /** Each long outage at full scale: {@link #LONG_OUTAGE_RECEIVES} x the visibility timeout x maxReceiveCount. */
    int longOutageSeconds() {
        return LONG_OUTAGE_RECEIVES * (int) LONG_OUTAGE_VISIBILITY.toSeconds() * LONG_OUTAGE_MAX_RECEIVES;
    }

    /** The seconds the schedule runs at full length, over which the messages are sent. */
    int plannedSeconds() {
        return ChaosFaults.plannedSeconds(kills) + (longOutages ? 2 * longOutageSeconds() : 0);
    }

    Duration scaled(int seconds) {
        return Duration.ofMillis((long) (seconds * 1000 * faultScale));
    }

    /** The time the breaker stays open, scaled with the faults: else it outlasts the shortened ones. */
    long breakerOpenForMillis() {
        return Math.round(BREAKER_OPEN_FOR.toMillis() * faultScale);
    }

    /** The service's settings that the soak sets: the breaker's open time and, with long outages, the queue's. */
    List<String> serviceArguments() {
        List<String> arguments = new ArrayList<>(
                List.of("--persister.follow-up.circuit-breaker-open-for=" + breakerOpenForMillis() + "ms"));
        if (longOutages) {
            arguments.add("--persister.provisioning.visibility-timeout=" + LONG_OUTAGE_VISIBILITY.toSeconds() + "s");
            arguments.add("--persister.provisioning.max-receive-count=" + LONG_OUTAGE_MAX_RECEIVES);
        }
        return arguments;
    }

    /** The numbers the soak derives from its settings, as its log states them at the start. */
    String derived() {
        String queue = longOutages
                ? ("queue: visibility timeout %d s, maxReceiveCount %d; long outage per fault: %d s = %d x visibility"
                                + " %d s x maxReceiveCount %d%s")
                        .formatted(
                                LONG_OUTAGE_VISIBILITY.toSeconds(),
                                LONG_OUTAGE_MAX_RECEIVES,
                                longOutageSeconds(),
                                LONG_OUTAGE_RECEIVES,
                                LONG_OUTAGE_VISIBILITY.toSeconds(),
                                LONG_OUTAGE_MAX_RECEIVES,
                                faultScale == 1
                                        ? ""
                                        : " (scaled to %.1f s)".formatted(longOutageSeconds() * faultScale))
                : "queue: visibility timeout %d s, maxReceiveCount %d (the service's defaults); no long outages"
                        .formatted(QUEUE_DEFAULTS.visibilityTimeout().toSeconds(), QUEUE_DEFAULTS.maxReceiveCount());
        return "%s; messages spread over %d s of schedule%s; circuit breaker open for %d ms"
                .formatted(
                        queue,
                        plannedSeconds(),
                        faultScale == 1 ? "" : " (scaled to %.1f s)".formatted(plannedSeconds() * faultScale),
                        breakerOpenForMillis());
    }
}
