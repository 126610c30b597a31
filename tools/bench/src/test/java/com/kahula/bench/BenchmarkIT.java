package com.kahula.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import com.kahula.bench.cost.EventCost;
import com.kahula.eventpersister.store.EventTable;
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
            // counted on the wire: each of the 300 messages is one conditional PutItem of at least one write unit,
            // 285 of them writing the saga index too (every bench event has a saga); the 15 duplicates' refused
            // conditions each followed by a consistent read of the stored item, as dynalite returns none; no follow-up
            assertThat(result.cost().writeUnits().get("table")).isGreaterThanOrEqualTo(300 / 285.0);
            assertThat(result.cost().writeUnits().get(EventTable.SAGA_INDEX)).isGreaterThanOrEqualTo(1.0);
            assertThat(result.cost().readUnits()).isGreaterThanOrEqualTo(15 / 285.0);
            assertThat(result.cost().putEventsEntries()).isZero();
            assertThat(result.cost().sqsRequests())
                    .containsEntry(EventCost.BUS_DELIVERY, 1.0)
                    .hasEntrySatisfying(
                            "receive", receives -> assertThat(receives).isGreaterThanOrEqualTo(30 / 285.0))
                    .hasEntrySatisfying("delete", deletes -> assertThat(deletes).isGreaterThanOrEqualTo(30 / 285.0));
            assertThat(result.cost().perMillion().total()).isPositive();
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
                .contains("| floor | r1 |")
                .contains("### What a source event costs, in the same runs");
    }

    @Test
    void floorOnTheServicesContainerDrainsEveryMessageAndDeletesItOnceStored() throws Exception {
        BenchReport report = BenchmarkMain.run(
                "--messages", "200",
                "--contestants", "floor-container",
                "--warmup", "0",
                "--warm-messages", "100",
                "--latency-seconds", "0",
                "--in-flight", "25",
                "--out", "target/bench-it-container");

        BenchMessages.Batch batch = BenchMessages.warm(100).then(BenchMessages.measured(200));
        assertThat(report.results()).singleElement().satisfies(result -> {
            assertThat(result.rows()).isEqualTo(batch.distinct());
            assertThat(result.deadLetters()).isZero();
            assertThat(result.cost().putEventsEntries()).isZero();
            // each of the 300 messages deleted through the container's acknowledgement, in batches of up to ten
            assertThat(result.cost().sqsRequests())
                    .hasEntrySatisfying(
                            "delete",
                            deletes -> assertThat(deletes * batch.distinct()).isGreaterThanOrEqualTo(30));
        });
        assertThat(Path.of("target/bench-it-container/logs/r1-floor-container.log"))
                .as("the container's own log: the listener it started on the queue")
                .content()
                .doesNotContain("Exception");
    }

    @Test
    void floorWithTheServicesRulesSendsEachFollowUpOnceAndMarksIt() throws Exception {
        BenchReport report = BenchmarkMain.run(
                "--messages", "200",
                "--contestants", "floor-follow-ups",
                "--warmup", "0",
                "--warm-messages", "100",
                "--latency-seconds", "0",
                "--out", "target/bench-it-follow-ups");

        BenchMessages.Batch batch = BenchMessages.warm(100).then(BenchMessages.measured(200));
        assertThat(batch.followUps()).as("the bench's mix has follow-ups").isPositive();
        assertThat(report.results()).singleElement().satisfies(result -> {
            // each distinct event and each follow-up, which came back through the bus's rule
            assertThat(result.expectedRows()).isEqualTo(batch.distinct() + batch.followUps());
            assertThat(result.rows()).isEqualTo(result.expectedRows());
            assertThat(result.deadLetters()).isZero();
            // an accepted entry per follow-up at least (a duplicate that finds its follow-up still PENDING sends it
            // again), counted on the wire; each follow-up entered the outbox index once and left it once
            assertThat(result.cost().putEventsEntries() * batch.distinct())
                    .isGreaterThanOrEqualTo(batch.followUps() - 1e-6);
            assertThat(result.cost().writeUnits().get(EventTable.OUTBOX_INDEX) * batch.distinct())
                    .isCloseTo(2.0 * batch.followUps(), offset(1e-6));
        });
    }
}
