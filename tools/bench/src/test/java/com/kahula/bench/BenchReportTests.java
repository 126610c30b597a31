package com.kahula.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import com.kahula.bench.cost.EventCost;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which run each row of the report comes from: one run, whole, never a mix of runs' columns. */
class BenchReportTests {

    // Column by column, the medians of the floor's three runs would be r2's events/s with r3's CPU, emulators' CPU,
    // allocation, peak RSS and threads: a row no run measured.
    private static final BenchResult FLOOR_R1 = floor("r1", 700, 1.900, 0.500, 110.0, 250, 38);
    private static final BenchResult FLOOR_R2 = floor("r2", 800, 1.100, 0.900, 130.0, 270, 36);
    private static final BenchResult FLOOR_R3 = floor("r3", 900, 1.500, 0.700, 120.0, 260, 40);

    @Test
    void reportsTheContestantsMedianRunByEventsPerSecondWhole() {
        BenchReport report = report(List.of(List.of(FLOOR_R1), List.of(FLOOR_R2), List.of(FLOOR_R3)), "floor");

        assertThat(report.medianRun(Contestant.FLOOR)).contains(FLOOR_R2);
        assertThat(row(report, "floor"))
                .isEqualTo(
                        "| floor | r2 | 800 | 1.100 | 0.200 | 0.900 | 130.0 | 270 | 260 | 100 / 14 / 146 | 36 |  |  |");
        assertThat(report.summaryLine()).contains(" floor 800 ev/s 1.100 ms CPU/ev (r2);");
    }

    @Test
    void takesTheSlowerOfTheTwoMiddleRunsOfAnEvenNumberAndSaysSo() {
        BenchResult fastest = floor("r4", 1000, 1.000, 0.600, 115.0, 255, 37);
        BenchReport report =
                report(List.of(List.of(FLOOR_R1), List.of(FLOOR_R3), List.of(FLOOR_R2), List.of(fastest)), "floor");

        assertThat(report.medianRun(Contestant.FLOOR)).contains(FLOOR_R2);
        assertThat(report.medianRunsTable())
                .startsWith("## The median run of each contestant (of 4 runs)")
                .contains("the slower of the two middle ones");
    }

    @Test
    void printsWhatEachContestantsMedianRunCostPerSourceEventBesideItsThroughput() {
        BenchReport report = report(
                List.of(List.of(FLOOR_R1, service("r1", 350, 2.850)), List.of(FLOOR_R2, service("r2", 640, 2.200))),
                "floor,service");

        // the targets and kinds are the union of every contestant's, a contestant without one showing 0
        assertThat(report.medianRunsTable())
                .contains(
                        "| contestant | run | DynamoDB write units: saga_id-timestamp-index / table | all | read units"
                                + " | SQS requests: bus delivery / delete / receive | all |")
                .contains("| floor | r1 | 0.00 / 2.00 | 2.00 | 0.050 | 1.000 / 0.100 / 0.100 | 1.20 | 0.000 / 0.000 |"
                        + " 5.0 | 2.00 | 1.510 / 0.500 / 0.000 / 0.150 / 0.020 | 2.18 |")
                .contains("| service | r1 | 1.20 / 2.40 | 3.60 | 0.050 | 1.250 / 0.100 / 0.100 | 1.45 | 0.125 / 0.250"
                        + " | 6.3 | 2.00 | 1.510 / 0.500 / 0.250 / 0.150 / 0.020 | 2.43 |");
    }

    @Test
    void comparesTwoContestantsWithinTheRunOfTheMedianThroughputRatio() {
        // ratios to its floor's run: r1 0.50x, r2 0.80x, r3 0.70x; the median runs alone would give 630 / 800; CPU
        // without the JIT compiler's in r3: (2.250 - 0.500) / (1.500 - 0.200) = 1.35x
        BenchResult floorR1 = withFollowUps(FLOOR_R1);
        BenchResult floorR2 = withFollowUps(FLOOR_R2);
        BenchResult floorR3 = withFollowUps(FLOOR_R3);
        BenchResult serviceR1 = service("r1", 350, 2.850);
        BenchResult serviceR2 = service("r2", 640, 2.200);
        BenchResult serviceR3 = service("r3", 630, 2.250);
        BenchReport report = report(
                List.of(List.of(floorR1, serviceR1), List.of(serviceR2, floorR2), List.of(floorR3, serviceR3)),
                "floor-follow-ups,service");

        assertThat(report.medianComparison(Contestant.SERVICE, Contestant.FLOOR_FOLLOW_UPS))
                .contains(new RunComparison(serviceR3, floorR3));
        assertThat(report.markdown())
                .contains(
                        "- service / floor-follow-ups, r3: throughput 0.70x, CPU per event 1.50x (1.35x without the JIT"
                                + " compiler's), peak RSS 1.30x, emulators' CPU per event 2.00x, heap allocated per event 1.50x (throughput, each run: r1 0.50x, r2 0.80x,"
                                + " r3 0.70x)\n");
        assertThat(report.summaryLine())
                .contains(" service / floor-follow-ups 0.70x throughput 1.50x CPU 1.30x peak RSS (r3);");
        assertThat(row(report, "service")).startsWith("| service | r3 | 630 | 2.250 | 0.500 |");
    }

    @Test
    void pricesAMonthAtThreeVolumesFromTheServicesMedianRun() {
        BenchReport report = report(List.of(List.of(FLOOR_R1, service("r1", 350, 2.850))), "floor,service");

        // 1 ms of CPU and $2.41 a million in calls per source event, 2048 bytes stored and 1280 archived; worked out
        // apart from the code: the peak 1.3x the average, 0.35 vCPU a task, 730 hours
        assertThat(report.medianRunsTable())
                .contains("| tasks at the peak | 2 | 5 | 43 |")
                .contains("| Fargate, the peak's tasks all month | $29 | $72 | $620 |")
                .contains("| **a month** | **$117** | **$8,936** | **$89,262** |");
    }

    @Test
    void printsNoMonthWithoutTheService() {
        BenchReport report = report(List.of(List.of(FLOOR_R1)), "floor");

        assertThat(report.markdown()).doesNotContain("A month at");
    }

    @Test
    void refusesToCompareResultsOfTwoRuns() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new RunComparison(service("r1", 350, 2.850), FLOOR_R2))
                .withMessageContaining("not one run");
    }

    private static BenchReport report(List<List<BenchResult>> runs, String contestants) {
        BenchOptions options = BenchOptions.parse(
                "--contestants", contestants, "--runs", Integer.toString(runs.size()), "--starts", "0");
        return new BenchReport(options, 28_000, 26_600, runs, null, Map.of());
    }

    /** The row of the contestant's median run, from the section the console prints. */
    private static String row(BenchReport report, String contestant) {
        return report.medianRunsTable()
                .lines()
                .filter(line -> line.startsWith("| " + contestant + " |"))
                .findFirst()
                .orElseThrow();
    }

    private static BenchResult floor(
            String run,
            double eventsPerSecond,
            double cpu,
            double emulatorCpu,
            double allocatedKb,
            double peakRssMb,
            int threads) {
        return new BenchResult(
                Contestant.FLOOR,
                run,
                20_000 / eventsPerSecond,
                eventsPerSecond,
                cpu,
                0.200,
                emulatorCpu,
                peakRssMb,
                peakRssMb - 10,
                new MemoryShares(100, 14, peakRssMb - 124),
                allocatedKb,
                threads,
                null,
                null,
                19_000,
                19_000,
                0,
                cost(Map.of("table", 2.0), 0.0));
    }

    /** The same figures as the floor with the service's follow-up rules. */
    private static BenchResult withFollowUps(BenchResult floor) {
        return new BenchResult(
                Contestant.FLOOR_FOLLOW_UPS,
                floor.run(),
                floor.seconds(),
                floor.eventsPerSecond(),
                floor.cpuMillisPerEvent(),
                floor.jitCpuMillisPerEvent(),
                floor.emulatorCpuMillisPerEvent(),
                floor.peakRssMb(),
                floor.rssMb(),
                floor.memory(),
                floor.allocatedKbPerEvent(),
                floor.peakThreads(),
                floor.readySeconds(),
                floor.latency(),
                floor.rows(),
                floor.expectedRows(),
                floor.deadLetters(),
                floor.cost());
    }

    /** The service in the run: 1.3x the floor's peak RSS, 2x its emulators' CPU, 1.5x its allocation in r3. */
    private static BenchResult service(String run, double eventsPerSecond, double cpu) {
        return new BenchResult(
                Contestant.SERVICE,
                run,
                20_000 / eventsPerSecond,
                eventsPerSecond,
                cpu,
                0.500,
                1.400,
                338,
                330,
                new MemoryShares(112, 94, 124),
                180.0,
                73,
                3.5,
                new LatencyResult(315, 4_725, 12, 48),
                22_800,
                22_800,
                0,
                cost(Map.of("table", 2.4, "saga_id-timestamp-index", 1.2), 0.25));
    }

    private static EventCost cost(Map<String, Double> writeUnits, double putEventsEntries) {
        return new EventCost(
                10,
                writeUnits,
                0.05,
                Map.of("receive", 0.1, "delete", 0.1, EventCost.BUS_DELIVERY, 1.0 + putEventsEntries),
                putEventsEntries / 2,
                putEventsEntries,
                5120 * (1.0 + putEventsEntries),
                1024 * (1.0 + putEventsEntries),
                2048,
                1.0,
                new EventCost.Dollars(1.5, 0.01, 0.5, putEventsEntries, 0.15, 0.02));
    }
}
