package com.kahula.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/** The results as a markdown table (medians over the runs, then each run) and a one-line summary. */
record BenchReport(
        BenchOptions options,
        int messages,
        int distinct,
        List<List<BenchResult>> runs,
        Double plainJarReadySeconds,
        Map<Contestant, List<Double>> startReadySeconds) {

    /** The median over the runs of one contestant's metric; empty when the contestant did not run. */
    Optional<Double> median(Contestant contestant, ToDoubleFunction<BenchResult> metric) {
        List<Double> values = new ArrayList<>();
        for (List<BenchResult> run : runs) {
            for (BenchResult result : run) {
                if (result.contestant() == contestant) {
                    values.add(metric.applyAsDouble(result));
                }
            }
        }
        return values.isEmpty() ? Optional.empty() : Optional.of(Bench.median(values));
    }

    List<BenchResult> results() {
        return runs.stream().flatMap(List::stream).toList();
    }

    String summaryLine() {
        StringBuilder line = new StringBuilder("bench (%d msgs after %d warm, +%d ms, median of %d):"
                .formatted(options.messages(), options.warmMessages(), options.latencyMillis(), runs.size()));
        for (Contestant contestant : options.contestants()) {
            median(contestant, BenchResult::eventsPerSecond)
                    .ifPresent(rate -> line.append(" %s %.0f ev/s %.3f ms CPU/ev;"
                            .formatted(
                                    contestant.label(),
                                    rate,
                                    median(contestant, BenchResult::cpuMillisPerEvent)
                                            .orElseThrow())));
        }
        ratioLines(" %s %.2fx throughput %.2fx CPU %.2fx peak RSS;").forEach(line::append);
        boolean complete = results().stream().allMatch(BenchResult::complete);
        line.append(complete ? " all rows stored" : " INCOMPLETE: see the table");
        return line.toString();
    }

    /** {@code of / to} of a median metric; empty unless both ran. */
    Optional<Double> ratio(Contestant of, Contestant to, ToDoubleFunction<BenchResult> metric) {
        return median(of, metric).flatMap(value -> median(to, metric).map(base -> value / base));
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

    /**
     * Each comparison whose two contestants ran, formatted with its label and its throughput, CPU, RSS, emulators' CPU
     * and allocation ratios (a format may leave out the last ones).
     */
    private List<String> ratioLines(String format) {
        List<String> lines = new ArrayList<>();
        for (Comparison comparison : COMPARISONS) {
            ratio(comparison.of(), comparison.to(), BenchResult::eventsPerSecond)
                    .ifPresent(throughput -> lines.add(format.formatted(
                            comparison.label(),
                            throughput,
                            ratio(comparison.of(), comparison.to(), BenchResult::cpuMillisPerEvent)
                                    .orElseThrow(),
                            ratio(comparison.of(), comparison.to(), BenchResult::peakRssMb)
                                    .orElseThrow(),
                            ratio(comparison.of(), comparison.to(), BenchResult::emulatorCpuMillisPerEvent)
                                    .orElseThrow(),
                            ratio(comparison.of(), comparison.to(), BenchResult::allocatedKbPerEvent)
                                    .orElseThrow())));
        }
        return lines;
    }

    private record Comparison(Contestant of, Contestant to) {
        String label() {
            return of.label() + " / " + to.label();
        }
    }

    /** The medians and the ratios, without the heading and the table of each run: for the console. */
    String mediansTable() {
        String md = markdown();
        return md.substring(md.indexOf("## Medians"), md.indexOf("## Each run")).strip();
    }

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
        md.append("## Medians of %d run%s\n\n".formatted(runs.size(), runs.size() == 1 ? "" : "s"));
        md.append("| contestant | events/s | CPU ms/event | emulators' CPU ms/event | heap KB allocated/event"
                + " | peak RSS MB | RSS after MB | at the end: heap / class data / rest MB | threads | ready s"
                + " | p50 / p99 ms |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Contestant contestant : options.contestants()) {
            if (median(contestant, BenchResult::eventsPerSecond).isEmpty()) {
                continue;
            }
            md.append("| %s | %.0f | %.3f | %.3f | %s | %.0f | %.0f | %.0f / %.0f / %.0f | %.0f | %s | %s |\n"
                    .formatted(
                            contestant.label(),
                            median(contestant, BenchResult::eventsPerSecond).orElseThrow(),
                            median(contestant, BenchResult::cpuMillisPerEvent).orElseThrow(),
                            median(contestant, BenchResult::emulatorCpuMillisPerEvent)
                                    .orElseThrow(),
                            kilobytes(median(contestant, BenchResult::allocatedKbPerEvent)
                                    .orElseThrow()),
                            median(contestant, BenchResult::peakRssMb).orElseThrow(),
                            median(contestant, BenchResult::rssMb).orElseThrow(),
                            median(contestant, r -> r.memory().heapMb()).orElseThrow(),
                            median(contestant, r -> r.memory().classDataMb()).orElseThrow(),
                            median(contestant, r -> r.memory().otherMb()).orElseThrow(),
                            median(contestant, r -> (double) r.peakThreads()).orElseThrow(),
                            contestant.isService()
                                    ? "%.2f"
                                            .formatted(median(contestant, r -> r.readySeconds())
                                                    .orElseThrow())
                                    : "",
                            contestant == Contestant.SERVICE
                                            && results().stream().anyMatch(r -> r.latency() != null)
                                    ? "%.0f / %.0f"
                                            .formatted(
                                                    median(
                                                                    contestant,
                                                                    r -> r.latency()
                                                                            .p50Millis())
                                                            .orElseThrow(),
                                                    median(
                                                                    contestant,
                                                                    r -> r.latency()
                                                                            .p99Millis())
                                                            .orElseThrow())
                                    : ""));
        }
        md.append("\n");
        ratioLines("- %s: throughput %.2fx, CPU per event %.2fx, peak RSS %.2fx, emulators' CPU per event %.2fx,"
                        + " heap allocated per event %.2fx\n")
                .forEach(md::append);
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
            String extracted = median(Contestant.SERVICE, r -> r.readySeconds())
                    .map(" %.2f s extracted with the AOT cache (the column),"::formatted)
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
