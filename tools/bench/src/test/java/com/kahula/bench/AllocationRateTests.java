package com.kahula.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the heap allocated per message is read from a GC log and the queue's depth while it drained. */
class AllocationRateTests {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void readsEachPauseOfSerialAndG1LogsAndSkipsOtherLines(@TempDir Path directory) throws IOException {
        Path log = directory.resolve("gc.log");
        Files.write(
                log,
                List.of(
                        "[8722491ns] Using Serial",
                        "[666410879ns] GC(0) Pause Young (Allocation Failure) 68M->12M(247M) 8.704ms",
                        "[1286596475ns] GC(1) Pause Young (Normal) (G1 Evacuation Pause) 900K->200K(16M) 21.483ms",
                        "[1300000000ns] GC(2) Pause Full (System.gc()) 1G->20M(256M) 30.1ms",
                        "[1400000000ns] GC(3) Concurrent Mark Cycle 12.0ms"));

        assertThat(AllocationRate.read(log))
                .containsExactly(
                        new AllocationRate.Collection(666_410_879L, 68 * 1024, 12 * 1024),
                        new AllocationRate.Collection(1_286_596_475L, 900, 200),
                        new AllocationRate.Collection(1_300_000_000L, 1024 * 1024, 20 * 1024));
    }

    @Test
    void dividesWhatWasAllocatedBetweenTheFirstAndTheLastCollectionOfTheSpanByTheMessagesDrainedBetweenThem() {
        long spawned = 100 * SECOND;
        // sampled every second from 10 s after the JVM's start: 1 000 messages left, then 100 fewer each second
        NavigableMap<Long, Integer> remaining = new TreeMap<>();
        for (int second = 10; second <= 20; second++) {
            remaining.put(spawned + second * SECOND, 1_000 - (second - 10) * 100);
        }
        List<AllocationRate.Collection> collections = List.of(
                // before the span: not counted
                new AllocationRate.Collection(5 * SECOND, 90_000, 10_000),
                new AllocationRate.Collection(11 * SECOND + SECOND / 2, 60_000, 12_000),
                new AllocationRate.Collection(14 * SECOND, 62_000, 13_000),
                new AllocationRate.Collection(17 * SECOND + SECOND / 2, 63_000, 14_000),
                // after the span: not counted
                new AllocationRate.Collection(25 * SECOND, 99_000, 15_000));

        // (62 000 - 12 000) + (63 000 - 13 000) KB over the 600 messages drained from 11.5 s to 17.5 s
        assertThat(AllocationRate.kbPerMessage(collections, spawned, remaining))
                .isCloseTo(100_000 / 600.0, offset(1e-9));
    }

    @Test
    void isNotANumberWithFewerThanTwoCollectionsInTheSpan() {
        NavigableMap<Long, Integer> remaining = new TreeMap<>();
        remaining.put(0L, 1_000);
        remaining.put(10 * SECOND, 0);

        assertThat(AllocationRate.kbPerMessage(
                        List.of(new AllocationRate.Collection(5 * SECOND, 60_000, 12_000)), 0, remaining))
                .isNaN();
        assertThat(AllocationRate.kbPerMessage(List.of(), 0, remaining)).isNaN();
    }
}
