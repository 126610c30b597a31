package com.kahula.bench;

import static com.kahula.bench.MedianRuns.COMPARISONS;

import com.kahula.bench.MedianRuns.Comparison;
import java.util.List;
import java.util.stream.Collectors;

/** Renders the report's markdown tables: each contestant's median run, the ratio lines, each run's row. */
final class ReportTables {

    private ReportTables() {}

    /** The table of each contestant's median run, whole. */
    static void appendMedianRuns(StringBuilder md, BenchReport report) {
        BenchOptions options = report.options();
        md.append("| contestant | run | events/s | CPU ms/event | emulators' CPU ms/event | heap KB allocated/event"
                + " | peak RSS MB | RSS after MB | at the end: heap / class data / rest MB | threads | ready s"
                + " | p50 / p99 ms |\n");
        md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Contestant contestant : options.contestants()) {
            report.medianRun(contestant)
                    .ifPresent(r -> md.append("| %s | %s | %s | %s |\n"
                            .formatted(contestant.label(), r.run(), figures(r), percentiles(r))));
        }
    }

    /** One line per comparison: its ratios within the run of the median throughput ratio, then each run's. */
    static void appendRatios(StringBuilder md, BenchReport report) {
        for (Comparison comparison : COMPARISONS) {
            report.medianComparison(comparison.of(), comparison.to())
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
                                    report.comparisons(comparison.of(), comparison.to()).stream()
                                            .map(each -> "%s %.2fx"
                                                    .formatted(each.run(), each.ratio(BenchResult::eventsPerSecond)))
                                            .collect(Collectors.joining(", ")))));
        }
    }

    /** The table of every run's row. */
    static void appendEachRun(StringBuilder md, List<BenchResult> results) {
        md.append("| run | contestant | seconds | events/s | CPU ms/event | emulators' CPU ms/event"
                + " | heap KB allocated/event | peak RSS MB | RSS after MB | at the end: heap / class data / rest MB | threads | ready s | latency probes | p50 / p99 ms"
                + " | rows | dead letters |\n");
        md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (BenchResult r : results) {
            md.append("| %s | %s | %.1f | %s | %s | %s | %d/%d | %d |\n"
                    .formatted(
                            r.run(),
                            r.contestant().label(),
                            r.seconds(),
                            figures(r),
                            r.latency() == null
                                    ? ""
                                    : "%d at %.0f/s"
                                            .formatted(
                                                    r.latency().count(),
                                                    r.latency().rate()),
                            percentiles(r),
                            r.rows(),
                            r.expectedRows(),
                            r.deadLetters()));
        }
    }

    /** The cells both tables give of a result, from its events/s to its readiness. */
    private static String figures(BenchResult r) {
        return "%.0f | %.3f | %.3f | %s | %.0f | %.0f | %.0f / %.0f / %.0f | %d | %s"
                .formatted(
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
                        r.readySeconds() == null ? "" : "%.2f".formatted(r.readySeconds()));
    }

    /** The latency probes' p50 / p99, or empty when none were sent. */
    private static String percentiles(BenchResult r) {
        return r.latency() == null
                ? ""
                : "%d / %d".formatted(r.latency().p50Millis(), r.latency().p99Millis());
    }

    /** One decimal, or empty when it was not measured (too few collections in the span). */
    private static String kilobytes(double value) {
        return Double.isNaN(value) ? "" : "%.1f".formatted(value);
    }
}
