package com.kahula.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A benchmark's results and their one-line summary; each row and ratio it states comes from one run, whole. */
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

    /** The contestant's run with the median events/s, whole ({@link MedianRuns#medianRun}). */
    Optional<BenchResult> medianRun(Contestant contestant) {
        return MedianRuns.medianRun(results(), contestant);
    }

    /** Each run's comparison of {@code of} with {@code to}, in the order of the runs; empty unless both ran. */
    List<RunComparison> comparisons(Contestant of, Contestant to) {
        return MedianRuns.comparisons(runs, of, to);
    }

    /** The run with the median throughput ratio of {@code of} to {@code to} ({@link MedianRuns#medianComparison}). */
    Optional<RunComparison> medianComparison(Contestant of, Contestant to) {
        return MedianRuns.medianComparison(runs, of, to);
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
        for (MedianRuns.Comparison comparison : MedianRuns.COMPARISONS) {
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

    /** The median runs and the ratios, without the heading and the table of each run: for the console. */
    String medianRunsTable() {
        return ReportFile.medianRunsSection(this);
    }

    String markdown() {
        return ReportFile.markdown(this);
    }

    Path write(Path directory, String stamp) throws IOException {
        return ReportFile.write(this, directory, stamp);
    }
}
