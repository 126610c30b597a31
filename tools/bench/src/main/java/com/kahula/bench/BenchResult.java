package com.kahula.bench;

import com.kahula.bench.cost.EventCost;

/**
 * What one contestant did in one run: events/s from the first receive until the queue was empty, CPU per event of its
 * process over the same span, CPU per event of the emulators (the stack's JVM and its Node.js children) over that span,
 * the heap it allocated per event ({@link AllocationRate}; NaN when fewer than two collections fell in the span), its
 * peak (VmHWM) and last resident memory, the most threads it had while draining, the rows it left and the dead letters,
 * and what its calls to AWS cost per source event ({@link EventCost}).
 */
record BenchResult(
        Contestant contestant,
        String run,
        double seconds,
        double eventsPerSecond,
        double cpuMillisPerEvent,
        double jitCpuMillisPerEvent,
        double emulatorCpuMillisPerEvent,
        double peakRssMb,
        double rssMb,
        MemoryShares memory,
        double allocatedKbPerEvent,
        int peakThreads,
        Double readySeconds,
        LatencyResult latency,
        long rows,
        int expectedRows,
        int deadLetters,
        EventCost cost) {

    /** The CPU per event but the JIT compiler's, which a process warm enough no longer spends. */
    double cpuMillisPerEventWithoutJit() {
        return cpuMillisPerEvent - jitCpuMillisPerEvent;
    }

    boolean complete() {
        return rows == expectedRows && deadLetters == 0;
    }

    @Override
    public String toString() {
        return "%s %s: %.0f events/s (%.1f s), %.3f ms CPU/event (JIT %.3f, emulators %.3f), peak RSS %.0f MB, RSS %.0f MB (heap %.0f, class data %.0f, rest %.0f), %.1f KB allocated/event, %d threads, rows %d/%d%s%s%s"
                .formatted(
                        run,
                        contestant.label(),
                        eventsPerSecond,
                        seconds,
                        cpuMillisPerEvent,
                        jitCpuMillisPerEvent,
                        emulatorCpuMillisPerEvent,
                        peakRssMb,
                        rssMb,
                        memory.heapMb(),
                        memory.classDataMb(),
                        memory.otherMb(),
                        allocatedKbPerEvent,
                        peakThreads,
                        rows,
                        expectedRows,
                        deadLetters == 0 ? "" : ", " + deadLetters + " dead letters",
                        readySeconds == null ? "" : ", ready in %.2f s".formatted(readySeconds),
                        latency == null
                                ? ""
                                : ", latency at %.0f/s: p50 %d ms, p99 %d ms"
                                        .formatted(latency.rate(), latency.p50Millis(), latency.p99Millis()));
    }
}
