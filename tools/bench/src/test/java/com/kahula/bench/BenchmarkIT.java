package com.kahula.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Proves that the benchmark's pieces fit: the stack in its own JVM, preloading, a contestant in its own JVM, the
 * watch on the queue, the row count. Not a timed assertion: the numbers are not checked, only that every event landed.
 */
class BenchmarkIT {

    @Test
    void floorDrainsEveryMessageAndStoresEachDistinctEventOnce() throws Exception {
        BenchReport report = BenchmarkMain.run(
                "--messages", "200",
                "--contestants", "floor",
                "--warmup", "0",
                "--warm-messages", "100",
                "--latency-seconds", "0",
                // not a multiple of the poll: the floor's last loop receives what is left
                "--in-flight", "25",
                "--out", "target/bench-it");

        assertThat(report.results()).singleElement().satisfies(result -> {
            assertThat(result.expectedRows()).isEqualTo(285);
            assertThat(result.rows()).isEqualTo(285);
            assertThat(result.deadLetters()).isZero();
            assertThat(result.eventsPerSecond()).isPositive();
            assertThat(result.memory().heapMb()).isPositive();
            assertThat(result.memory().classDataMb())
                    .as("the JDK's CDS archive")
                    .isPositive();
            assertThat(result.memory().otherMb()).isPositive();
        });
        assertThat(Path.of("target/bench-it/logs/r1-floor-gc.log"))
                .as("the floor's GC log, which the allocation column reads")
                .content()
                .contains("Using Serial");
        assertThat(report.markdown()).contains("heap KB allocated/event");
        assertThat(report.markdown()).contains("| floor |");
        assertThat(report.markdown()).contains("messages in flight: 25 for every contestant");
        assertThat(report.medianRunsTable())
                .startsWith("## The median run of each contestant (of 1 run)")
                .contains("| floor | r1 |");
    }
}
