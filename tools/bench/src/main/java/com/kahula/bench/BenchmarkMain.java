package com.kahula.bench;

import static com.kahula.bench.Bench.log;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The benchmark: in one run on one embedded stack (its own JVM), drains the same preloaded messages with the floor,
 * the naive listener, the service and the service without follow-up rules in turn, each in a JVM of its own started
 * with the same flags and at the same limit of messages in flight ({@code --in-flight}), each on a fresh queue and
 * table; reports events/s, CPU per event, peak RSS, the service's readiness and latency, and the ratios. The table of
 * each contestant's median run and one summary line go to the console, the full markdown to {@code target/bench/}.
 * Run it with {@code bench/run.sh}.
 */
public final class BenchmarkMain {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final BenchOptions options;
    private final Path logs;
    private final String classpath = System.getProperty("java.class.path");
    private final String java =
            Path.of(System.getProperty("java.home"), "bin", "java").toString();

    private BenchmarkMain(BenchOptions options) {
        this.options = options;
        this.logs = options.outputDirectory().resolve("logs");
    }

    public static void main(String[] args) throws Exception {
        if (List.of(args).contains("--help")) {
            System.out.println(BenchOptions.usage());
            return;
        }
        BenchOptions options = BenchOptions.parse(args);
        BenchReport report = new BenchmarkMain(options).run();
        Path file = report.write(options.outputDirectory(), LocalDateTime.now().format(STAMP));
        System.out.println();
        System.out.println(report.medianRunsTable());
        System.out.println(report.summaryLine() + " -> " + file);
        System.exit(0);
    }

    /** Runs everything and returns the report; visible to the test that proves the pieces fit. */
    static BenchReport run(String... args) throws Exception {
        return new BenchmarkMain(BenchOptions.parse(args)).run();
    }

    private BenchReport run() throws Exception {
        Files.createDirectories(logs);
        // two batches, the measured one queued only once the warm-up's is drained: so that the follow-ups of the
        // warm-up, which re-enter the queue behind what it holds, are not measured
        BenchMessages.Batch warm = BenchMessages.warm(options.warmMessages());
        BenchMessages.Batch measured = BenchMessages.measured(options.messages());
        BenchMessages.Batch batch = warm.then(measured);
        log(
                "%d messages measured after %d that warm each contestant, %d distinct events, %d duplicates; %d ms added latency"
                        .formatted(
                                options.messages(),
                                options.warmMessages(),
                                batch.distinct(),
                                batch.bodies().size() - batch.distinct(),
                                options.latencyMillis()));
        try (BenchStack stack = BenchStack.start(java, classpath, options.latencyMillis(), logs)) {
            Contestants contestants = Contestants.prepare(options, stack, logs, java, classpath);
            List<Contestant> startsMeasured = options.contestants().stream()
                    .filter(contestant -> contestant == Contestant.SERVICE || contestant == Contestant.BASELINE)
                    .toList();
            Map<Contestant, List<Double>> starts = options.starts() > 0 && !startsMeasured.isEmpty()
                    ? contestants.readinessOfStarts(startsMeasured, options.starts())
                    : Map.of();
            Drain drain = new Drain(options, stack, contestants);
            if (options.warmupMessages() > 0) {
                // the emulators' paths of the follow-ups too (PutEvents, the bus's rule, its delivery to the queue),
                // when a contestant takes them: else the first such contestant warms them and is measured doing it
                Contestant warmer = options.contestants().stream().anyMatch(contestants::emitsFollowUps)
                        ? Contestant.FLOOR_FOLLOW_UPS
                        : Contestant.FLOOR;
                log("warm-up: the %s drains %d messages to warm the emulators (not reported)"
                        .formatted(warmer.label(), options.warmupMessages()));
                BenchMessages.Batch warmup = BenchMessages.generate(options.warmupMessages(), 7);
                drain.drain(warmer, "warmup", BenchMessages.Batch.NONE, warmup, false);
            }
            List<List<BenchResult>> runs = new ArrayList<>();
            for (int run = 1; run <= options.runs(); run++) {
                List<Contestant> order = new ArrayList<>(options.contestants());
                // rotate the order between runs, so that no contestant always meets the emulators warmest
                Collections.rotate(order, -(run - 1));
                List<BenchResult> results = new ArrayList<>();
                for (Contestant contestant : order) {
                    BenchResult result =
                            drain.drain(contestant, "r" + run, warm, measured, contestant == Contestant.SERVICE);
                    log(result.toString());
                    results.add(result);
                }
                runs.add(results);
            }
            return new BenchReport(
                    options, batch.bodies().size(), batch.distinct(), runs, contestants.plainJarReadySeconds(), starts);
        }
    }
}
