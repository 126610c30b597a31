package com.kahula.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The report's markdown, the raw file of a benchmark: the machine and flags, the tables, what each figure is. */
final class ReportFile {

    private static final String MEDIAN_RUNS = "## The median run of each contestant";

    private ReportFile() {}

    static String markdown(BenchReport report) {
        BenchOptions options = report.options();
        int messages = report.messages();
        int distinct = report.distinct();
        List<List<BenchResult>> runs = report.runs();
        Double plainJarReadySeconds = report.plainJarReadySeconds();
        Map<Contestant, List<Double>> startReadySeconds = report.startReadySeconds();
        StringBuilder md = new StringBuilder();
        md.append("# event-persister benchmark, ").append(LocalDate.now()).append("\n\n");
        md.append(
                        "Machine: %s, %d cores, %d MB RAM, %s %s. Messages: %d, %d measured, queued once the %d that warm each contestant's process are drained (%d distinct, %d exact duplicates), "
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
                                        InFlightLimit.baselineSetsInFlight(options)
                                                        && options.contestants().contains(Contestant.BASELINE)
                                                ? " but the baseline, which sets its own"
                                                : ""))
                .append(" ReceiveMessage(%d), the naive's container's and the service's max-concurrent-messages),"
                        .formatted(BenchOptions.MESSAGES_PER_POLL))
                .append(" contestants' JVM flags: `%s`, the floors' own: `%s`, the service's"
                        .formatted(String.join(" ", options.jvmOptions()), BenchOptions.FLOOR_JVM_OPTION))
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
        ReportTables.appendMedianRuns(md, report);
        md.append("\n");
        ReportTables.appendRatios(md, report);
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
            String extracted = report.medianRun(Contestant.SERVICE)
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
        md.append("- of which JIT: the part of the CPU per event that the JIT compiler's threads spent, compiling; it"
                + " falls as the process warms, the rest is the work\n");
        md.append("- heap KB allocated/event: what the process allocated on its heap per drained message between the"
                + " first and the last garbage collection of the measured span, from its GC log (`-Xlog:gc`, which the"
                + " bench adds to each contestant's flags); unlike CPU time it does not move with the machine's speed or"
                + " load\n");
        report.results().stream()
                .filter(r -> r.latency() != null)
                .findFirst()
                .ifPresent(r -> md.append(
                        "- latency: probes published one by one at half the service's drain rate (%.0f/s here),"
                                        .formatted(r.latency().rate())
                                + " from publish (the detail's timestamp) to processing (the stored received_at)\n"));
        md.append("\n### What a source event costs, in the same runs\n\n");
        ReportTables.appendCosts(md, report);
        MonthTable.append(md, report);
        md.append("\n## Each run\n\n");
        ReportTables.appendEachRun(md, report.results());
        return md.toString();
    }

    /** The median runs and the ratios, without the heading and the table of each run: for the console. */
    static String medianRunsSection(BenchReport report) {
        String md = markdown(report);
        return md.substring(md.indexOf(MEDIAN_RUNS), md.indexOf("## Each run")).strip();
    }

    static Path write(BenchReport report, Path directory, String stamp) throws IOException {
        Files.createDirectories(directory);
        Path file = directory.resolve("results-" + stamp + ".md");
        Files.writeString(file, markdown(report));
        return file;
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
