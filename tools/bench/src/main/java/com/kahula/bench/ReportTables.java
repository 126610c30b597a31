package com.kahula.bench;

import static com.kahula.bench.MedianRuns.COMPARISONS;

import com.kahula.bench.MedianRuns.Comparison;
import com.kahula.bench.cost.EventCost;
import com.kahula.bench.cost.ListPrices;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** Renders the report's markdown tables: each contestant's median run, the ratio lines, each run's row. */
final class ReportTables {

    private ReportTables() {}

    /** The table of each contestant's median run, whole. */
    static void appendMedianRuns(StringBuilder md, BenchReport report) {
        BenchOptions options = report.options();
        md.append("| contestant | run | events/s | CPU ms/event | of which JIT | emulators' CPU ms/event"
                + " | heap KB allocated/event"
                + " | peak RSS MB | RSS after MB | at the end: heap / class data / rest MB | threads | ready s"
                + " | p50 / p99 ms |\n");
        md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
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
                    .ifPresent(median -> md.append(("- %s, %s: throughput %.2fx, CPU per event %.2fx (%.2fx without the"
                                    + " JIT compiler's), peak RSS %.2fx, emulators' CPU per event %.2fx, heap allocated"
                                    + " per event %.2fx (throughput, each run: %s)\n")
                            .formatted(
                                    comparison.label(),
                                    median.run(),
                                    median.ratio(BenchResult::eventsPerSecond),
                                    median.ratio(BenchResult::cpuMillisPerEvent),
                                    median.ratio(BenchResult::cpuMillisPerEventWithoutJit),
                                    median.ratio(BenchResult::peakRssMb),
                                    median.ratio(BenchResult::emulatorCpuMillisPerEvent),
                                    median.ratio(BenchResult::allocatedKbPerEvent),
                                    report.comparisons(comparison.of(), comparison.to()).stream()
                                            .map(each -> "%s %.2fx"
                                                    .formatted(each.run(), each.ratio(BenchResult::eventsPerSecond)))
                                            .collect(Collectors.joining(", ")))));
        }
    }

    /**
     * Per source event, for each contestant's median run: the DynamoDB units by target, the SQS requests by kind, the
     * PutEvents requests and entries, the archive's billed bytes, and the dollars per million source events.
     */
    static void appendCosts(StringBuilder md, BenchReport report) {
        List<BenchResult> medians = report.options().contestants().stream()
                .map(report::medianRun)
                .flatMap(Optional::stream)
                .toList();
        Set<String> targets = new TreeSet<>();
        Set<String> kinds = new TreeSet<>();
        medians.forEach(r -> {
            targets.addAll(r.cost().writeUnits().keySet());
            kinds.addAll(r.cost().sqsRequests().keySet());
        });
        md.append("| contestant | run | DynamoDB write units: %s | all | read units | SQS requests: %s | all"
                        .formatted(String.join(" / ", targets), String.join(" / ", kinds))
                + " | PutEvents requests / entries | Firehose KB billed | stored KB | $ per million: DynamoDB / SQS /"
                + " EventBridge / Firehose / compute | $ per million |\n");
        md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (BenchResult r : medians) {
            EventCost cost = r.cost();
            EventCost.Dollars dollars = cost.perMillion();
            md.append(
                    "| %s | %s | %s | %.2f | %.3f | %s | %.2f | %.3f / %.3f | %.1f | %.2f | %.3f / %.3f / %.3f / %.3f / %.3f | %.2f |\n"
                            .formatted(
                                    r.contestant().label(),
                                    r.run(),
                                    targets.stream()
                                            .map(target -> "%.2f"
                                                    .formatted(cost.writeUnits().getOrDefault(target, 0.0)))
                                            .collect(Collectors.joining(" / ")),
                                    cost.totalWriteUnits(),
                                    cost.readUnits(),
                                    kinds.stream()
                                            .map(kind -> "%.3f"
                                                    .formatted(
                                                            cost.sqsRequests().getOrDefault(kind, 0.0)))
                                            .collect(Collectors.joining(" / ")),
                                    cost.totalSqsRequests(),
                                    cost.putEventsRequests(),
                                    cost.putEventsEntries(),
                                    cost.firehoseBilledBytes() / 1024,
                                    cost.storedBytes() / 1024,
                                    dollars.dynamoDbWrites() + dollars.dynamoDbReads(),
                                    dollars.sqs(),
                                    dollars.eventBridge(),
                                    dollars.firehose(),
                                    dollars.compute(),
                                    dollars.total()));
        }
        md.append("\n- per source event: an event a producer put on the bus (%d in each drain), its duplicates and its"
                        .formatted(report.distinct())
                + " follow-up included; the calls of the whole drain, warm-up included, counted on the wire by a"
                + " recorder in front of each endpoint the contestant calls. DynamoDB units by its documented sizing"
                + " rules from the items in those calls and the table's indexes as DescribeTable gives them (dynalite"
                + " reports no index units); read units count halves for eventually consistent reads. Computed, as"
                + " nothing here bills them: the bus's delivery of each event on the bus (the source events and the"
                + " follow-ups it accepted) to the queue, one SendMessage each, and to the archive's Firehose stream,"
                + " each record rounded up to 5 KB. Stored KB: the items and index entries left, with DynamoDB's 100"
                + " bytes each, a month's storage of which costs $%.2f per GB. Prices: us-east-1 list prices, on demand"
                        .formatted(ListPrices.DYNAMODB_PER_GB_MONTH)
                + " (docs/cost.md); compute: the contestant's CPU per source event on a 0.5 vCPU / 1 GB ARM64 Fargate"
                + " task used in full\n");
    }

    /** The table of every run's row. */
    static void appendEachRun(StringBuilder md, List<BenchResult> results) {
        md.append("| run | contestant | seconds | events/s | CPU ms/event | of which JIT | emulators' CPU ms/event"
                + " | heap KB allocated/event | peak RSS MB | RSS after MB | at the end: heap / class data / rest MB | threads | ready s | latency probes | p50 / p99 ms"
                + " | rows | dead letters |\n");
        md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
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
        return "%.0f | %.3f | %.3f | %.3f | %s | %.0f | %.0f | %.0f / %.0f / %.0f | %d | %s"
                .formatted(
                        r.eventsPerSecond(),
                        r.cpuMillisPerEvent(),
                        r.jitCpuMillisPerEvent(),
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
