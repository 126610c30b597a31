package com.kahula.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * The results as markdown and a one-line summary. Every row it reports comes from one run, whole: for each contestant,
 * its run with the median events/s ({@link #medianRun}); for each comparison of two contestants, the run with the median
 * throughput ratio, every ratio of the line taken within that run ({@link #medianComparison}); then every run's row.
 */
record BenchReport(
        BenchOptions options,
        int messages,
        int distinct,
        List<List<BenchResult>> runs,
        Double plainJarReadySeconds,
        Map<Contestant, List<Double>> startReadySeconds) {

    List<BenchResult> results() {
        return runs.stream().flatMap(List::stream).toList();
    }

    /**
     * The contestant's run with the median events/s, whole; with an even number of runs, the slower of the two middle
     * ones. Empty when the contestant did not run.
     */
    Optional<BenchResult> medianRun(Contestant contestant) {
        return lowerMedian(
                results().stream()
                        .filter(result -> result.contestant() == contestant)
                        .toList(),
                BenchResult::eventsPerSecond);
    }

    /** Two contestants' results of the same run. */
    record RunComparison(BenchResult of, BenchResult to) {

        RunComparison {
            if (!of.run().equals(to.run())) {
                throw new IllegalArgumentException("%s of %s against %s of %s: not one run"
                        .formatted(
                                of.contestant().label(),
                                of.run(),
                                to.contestant().label(),
                                to.run()));
            }
        }

        String run() {
            return of.run();
        }

        /** {@code of / to} of the metric, within the run. */
        double ratio(ToDoubleFunction<BenchResult> metric) {
            return metric.applyAsDouble(of) / metric.applyAsDouble(to);
        }
    }

    /** Each run's comparison of {@code of} with {@code to}, in the order of the runs; empty unless both ran. */
    List<RunComparison> comparisons(Contestant of, Contestant to) {
        List<RunComparison> comparisons = new ArrayList<>();
        for (List<BenchResult> run : runs) {
            Optional<BenchResult> ofResult = inRun(run, of);
            Optional<BenchResult> toResult = inRun(run, to);
            if (ofResult.isPresent() && toResult.isPresent()) {
                comparisons.add(new RunComparison(ofResult.get(), toResult.get()));
            }
        }
        return comparisons;
    }

    /**
     * The run whose throughput ratio of {@code of} to {@code to} is the median, whole; with an even number of runs, the
     * lower of the two middle ones. Empty unless both ran.
     */
    Optional<RunComparison> medianComparison(Contestant of, Contestant to) {
        return lowerMedian(comparisons(of, to), comparison -> comparison.ratio(BenchResult::eventsPerSecond));
    }

    private static Optional<BenchResult> inRun(List<BenchResult> run, Contestant contestant) {
        return run.stream().filter(result -> result.contestant() == contestant).findFirst();
    }

    /** The middle element by the key, or the lower of the two middle ones; empty when there is none. */
    private static <T> Optional<T> lowerMedian(List<T> items, ToDoubleFunction<T> key) {
        List<T> sorted = items.stream().sorted(Comparator.comparingDouble(key)).toList();
        return sorted.isEmpty() ? Optional.empty() : Optional.of(sorted.get((sorted.size() - 1) / 2));
    }

    String summaryLine() {
        StringBuilder line = new StringBuilder("bench (%d msgs after %d warm, +%d ms, %d in flight, median run of %d):"
                .formatted(
                        options.messages(),
                        options.warmMessages(),
                        options.latencyMillis(),
                        options.inFlight(),
                        runs.size()));
        for (Contestant contestant : options.contestants()) {
            medianRun(contestant)
                    .ifPresent(result -> line.append(" %s %.0f ev/s %.3f ms CPU/ev (%s);"
                            .formatted(
                                    contestant.label(),
                                    result.eventsPerSecond(),
                                    result.cpuMillisPerEvent(),
                                    result.run())));
        }
        for (Comparison comparison : COMPARISONS) {
            medianComparison(comparison.of(), comparison.to())
                    .ifPresent(median -> line.append(" %s %.2fx throughput %.2fx CPU %.2fx peak RSS (%s);"
                            .formatted(
                                    comparison.label(),
                                    median.ratio(BenchResult::eventsPerSecond),
                                    median.ratio(BenchResult::cpuMillisPerEvent),
                                    median.ratio(BenchResult::peakRssMb),
                                    median.run())));
        }
        boolean complete = results().stream().allMatch(BenchResult::complete);
        line.append(complete ? " all rows stored" : " INCOMPLETE: see the table");
        return line.toString();
    }

    /** The ratios the report states, when both contestants ran. */
    private static final List<Comparison> COMPARISONS = List.of(
            new Comparison(Contestant.SERVICE, Contestant.FLOOR),
            new Comparison(Contestant.SERVICE, Contestant.NAIVE),
            new Comparison(Contestant.SERVICE_STORE_ONLY, Contestant.FLOOR),
            new Comparison(Contestant.SERVICE, Contestant.SERVICE_STORE_ONLY),
            new Comparison(Contestant.BASELINE, Contestant.SERVICE),
            // a baseline run with its rules off (--baseline-args "--persister.follow-up.rules=")
            new Comparison(Contestant.BASELINE, Contestant.SERVICE_STORE_ONLY));

    private record Comparison(Contestant of, Contestant to) {
        String label() {
            return of.label() + " / " + to.label();
        }
    }

    /** The median runs and the ratios, without the heading and the table of each run: for the console. */
    String medianRunsTable() {
        String md = markdown();
        return md.substring(md.indexOf(MEDIAN_RUNS), md.indexOf("## Each run")).strip();
    }

    private static final String MEDIAN_RUNS = "## The median run of each contestant";

    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# event-persister benchmark, ").append(LocalDate.now()).append("\n\n");
        md.append(
                        "Machine: %s, %d cores, %d MB RAM, %s %s. Messages: %d, the last %d measured after %d that warm each contestant's process (%d distinct, %d exact duplicates), "
                                .formatted(
                                        cpuModel(),
                                        Runtime.getRuntime().availableProcessors(),
                                        memoryMb(),
                                        System.getProperty("java.vm.name"),
                                        System.getProperty("java.version"),
                                        messages,
                                        options.messages(),
                                        options.warmMessages(),
                                        distinct,
                                        messages - distinct))
                .append(
                        "added latency per call: %d ms, messages in flight: %d for every contestant%s (the floor's loops of"
                                .formatted(
                                        options.latencyMillis(),
                                        options.inFlight(),
                                        Contestants.baselineSetsInFlight(options)
                                                        && options.contestants().contains(Contestant.BASELINE)
                                                ? " but the baseline, which sets its own"
                                                : ""))
                .append(" ReceiveMessage(%d), the naive's container's and the service's max-concurrent-messages),"
                        .formatted(BenchOptions.MESSAGES_PER_POLL))
                .append(" contestants' JVM flags: `%s`, the service's"
                        .formatted(String.join(" ", options.jvmOptions())))
                .append(" own: `%s`, its JDK AOT cache trained: %s.\n\n"
                        .formatted(
                                String.join(" ", options.serviceJvmOptions()),
                                options.serviceAotCache()
                                        ? options.aotTraining().label()
                                        : "no cache"));
        md.append("%s (of %d run%s)\n\n".formatted(MEDIAN_RUNS, runs.size(), runs.size() == 1 ? "" : "s"));
        md.append("Each row is one run, whole, named in the run column: the contestant's run with the median events/s");
        md.append(runs.size() % 2 == 0 ? " (of an even number, the slower of the two middle ones)" : "");
        md.append(
                ". Each ratio line compares two contestants within one run, named on the line: the run whose throughput"
                        + " ratio is the median");
        md.append(runs.size() % 2 == 0 ? " (the lower of the two middle ones)" : "");
        md.append(", then the throughput ratio of each run.\n\n");
        md.append("| contestant | run | events/s | CPU ms/event | emulators' CPU ms/event | heap KB allocated/event"
                + " | peak RSS MB | RSS after MB | at the end: heap / class data / rest MB | threads | ready s"
                + " | p50 / p99 ms |\n");
        md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Contestant contestant : options.contestants()) {
            medianRun(contestant)
                    .ifPresent(r -> md.append(
                            "| %s | %s | %.0f | %.3f | %.3f | %s | %.0f | %.0f | %.0f / %.0f / %.0f | %d | %s | %s |\n"
                                    .formatted(
                                            contestant.label(),
                                            r.run(),
                                            r.eventsPerSecond(),
                                            r.cpuMillisPerEvent(),
                                            r.emulatorCpuMillisPerEvent(),
                                            kilobytes(r.allocatedKbPerEvent()),
                                            r.peakRssMb(),
                                            r.rssMb(),
                                            r.memory().heapMb(),
                                            r.memory().classDataMb(),
                                            r.memory().otherMb(),
                                            r.peakThreads(),
                                            r.readySeconds() == null ? "" : "%.2f".formatted(r.readySeconds()),
                                            r.latency() == null
                                                    ? ""
                                                    : "%d / %d"
                                                            .formatted(
                                                                    r.latency().p50Millis(),
                                                                    r.latency().p99Millis()))));
        }
        md.append("\n");
        for (Comparison comparison : COMPARISONS) {
            medianComparison(comparison.of(), comparison.to())
                    .ifPresent(median -> md.append(("- %s, %s: throughput %.2fx, CPU per event %.2fx, peak RSS %.2fx,"
                                    + " emulators' CPU per event %.2fx, heap allocated per event %.2fx (throughput,"
                                    + " each run: %s)\n")
                            .formatted(
                                    comparison.label(),
                                    median.run(),
                                    median.ratio(BenchResult::eventsPerSecond),
                                    median.ratio(BenchResult::cpuMillisPerEvent),
                                    median.ratio(BenchResult::peakRssMb),
                                    median.ratio(BenchResult::emulatorCpuMillisPerEvent),
                                    median.ratio(BenchResult::allocatedKbPerEvent),
                                    comparisons(comparison.of(), comparison.to()).stream()
                                            .map(each -> "%s %.2fx"
                                                    .formatted(each.run(), each.ratio(BenchResult::eventsPerSecond)))
                                            .collect(Collectors.joining(", ")))));
        }
        if (options.contestants().contains(Contestant.BASELINE)) {
            md.append("- baseline: `%s` %s, its own JVM flags: `%s`, its JDK AOT cache trained: %s\n"
                    .formatted(
                            options.baselineJar(),
                            String.join(" ", options.baselineArguments()),
                            String.join(" ", options.baselineJvmOptions()),
                            options.serviceAotCache()
                                    ? options.baselineAotTraining().label()
                                    : "no cache"));
        }
        String interleaved = startReadySeconds.size() > 1 ? ", interleaved with the other's" : "";
        startReadySeconds.forEach((contestant, seconds) ->
                md.append("- %s readiness, median of %d starts apart from the drains%s: %.2f s (each: %s)\n"
                        .formatted(
                                contestant.label(),
                                seconds.size(),
                                interleaved,
                                Bench.median(seconds),
                                seconds.stream().map("%.2f"::formatted).collect(Collectors.joining(", ")))));
        if (plainJarReadySeconds != null) {
            String extracted = medianRun(Contestant.SERVICE)
                    .map(r -> " %.2f s extracted with the AOT cache (the column, %s),"
                            .formatted(r.readySeconds(), r.run()))
                    .orElse("");
            md.append("- service readiness:%s %.2f s as a plain `java -jar`\n"
                    .formatted(extracted, plainJarReadySeconds));
        }
        md.append(
                "- at the end: the resident memory right after the drain (/proc/<pid>/smaps): the Java heap, the class"
                        + " data archive mapped from a file (the service's JDK AOT cache, the floor's and the naive's default"
                        + " CDS archive of the JDK) and the rest (metaspace, JIT-compiled code and the compilers' memory, thread"
                        + " stacks, direct buffers, malloc)\n");
        md.append("- heap KB allocated/event: what the process allocated on its heap per drained message between the"
                + " first and the last garbage collection of the measured span, from its GC log (`-Xlog:gc`, which the"
                + " bench adds to each contestant's flags); unlike CPU time it does not move with the machine's speed or"
                + " load\n");
        results().stream()
                .filter(r -> r.latency() != null)
                .findFirst()
                .ifPresent(r -> md.append(
                        "- latency: probes published one by one at half the service's drain rate (%.0f/s here),"
                                        .formatted(r.latency().rate())
                                + " from publish (the detail's timestamp) to processing (the stored received_at)\n"));
        md.append("\n## Each run\n\n");
        md.append("| run | contestant | seconds | events/s | CPU ms/event | emulators' CPU ms/event"
                + " | heap KB allocated/event | peak RSS MB | RSS after MB | at the end: heap / class data / rest MB | threads | ready s | latency probes | p50 / p99 ms"
                + " | rows | dead letters |\n");
        md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (BenchResult r : results()) {
            String row =
                    "| %s | %s | %.1f | %.0f | %.3f | %.3f | %s | %.0f | %.0f | %.0f / %.0f / %.0f | %d | %s | %s | %s"
                            + " | %d/%d | %d |\n";
            md.append(row.formatted(
                    r.run(),
                    r.contestant().label(),
                    r.seconds(),
                    r.eventsPerSecond(),
                    r.cpuMillisPerEvent(),
                    r.emulatorCpuMillisPerEvent(),
                    kilobytes(r.allocatedKbPerEvent()),
                    r.peakRssMb(),
                    r.rssMb(),
                    r.memory().heapMb(),
                    r.memory().classDataMb(),
                    r.memory().otherMb(),
                    r.peakThreads(),
                    r.readySeconds() == null ? "" : "%.2f".formatted(r.readySeconds()),
                    r.latency() == null
                            ? ""
                            : "%d at %.0f/s"
                                    .formatted(r.latency().count(), r.latency().rate()),
                    r.latency() == null
                            ? ""
                            : "%d / %d"
                                    .formatted(
                                            r.latency().p50Millis(), r.latency().p99Millis()),
                    r.rows(),
                    r.expectedRows(),
                    r.deadLetters()));
        }
        return md.toString();
    }

    Path write(Path directory, String stamp) throws IOException {
        Files.createDirectories(directory);
        Path file = directory.resolve("results-" + stamp + ".md");
        Files.writeString(file, markdown());
        return file;
    }

    /** One decimal, or empty when it was not measured (too few collections in the span). */
    private static String kilobytes(double value) {
        return Double.isNaN(value) ? "" : "%.1f".formatted(value);
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(line -> line.toLowerCase(Locale.ROOT).startsWith("model name"))
                    .map(line -> line.substring(line.indexOf(':') + 1).trim())
                    .findFirst()
                    .orElse("unknown CPU");
        } catch (IOException e) {
            return "unknown CPU";
        }
    }

    private static long memoryMb() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun
                ? sun.getTotalMemorySize() / (1024 * 1024)
                : -1;
    }
}
