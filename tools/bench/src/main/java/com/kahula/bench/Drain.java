package com.kahula.bench;

import static com.kahula.bench.Bench.freePort;
import static com.kahula.bench.Bench.log;
import static com.kahula.bench.Bench.sleep;
import static com.kahula.bench.StackResources.tableName;

import com.kahula.bench.cost.DynamoDbUnits;
import com.kahula.bench.cost.EventCost;
import com.kahula.eventpersister.store.EventTable;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.NavigableMap;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Measures one contestant draining a preloaded queue: throughput, CPU, memory, threads, rows, latency. */
final class Drain {

    private static final Duration POLL = Duration.ofMillis(50);

    private final BenchOptions options;
    private final BenchStack stack;
    private final StackResources resources;
    private final Contestants contestants;
    private final ContestantProcesses processes;

    Drain(BenchOptions options, BenchStack stack, Contestants contestants) {
        this.options = options;
        this.stack = stack;
        this.resources = stack.resources();
        this.contestants = contestants;
        this.processes = contestants.processes();
    }

    /**
     * Drains {@code warm}, then {@code measured}, through one process of the contestant and measures the second. A
     * follow-up re-enters the queue behind the messages in it (the emulator hands them out in arrival order), so the
     * measured batch is queued only once the warm one is drained, its follow-ups' rows stored, with the process held
     * (SIGSTOP) meanwhile: the window starts as it resumes and ends when the queue is empty with every row stored, and
     * holds the measured batch's follow-ups and no other. Without a warm batch it starts at the first receive.
     */
    BenchResult drain(
            Contestant contestant,
            String run,
            BenchMessages.Batch warm,
            BenchMessages.Batch measuredBatch,
            boolean probeLatency)
            throws Exception {
        String env = run + "-" + contestant.label();
        String queueUrl = resources.provision(env);
        boolean warmFirst = !warm.bodies().isEmpty();
        resources.preload(queueUrl, warmFirst ? warm.bodies() : measuredBatch.bodies());
        BenchMessages.Batch batch = warm.then(measuredBatch);
        int measured = measuredBatch.bodies().size();
        int port = freePort();
        long spawned = System.nanoTime();
        OtlpReceiver.Received exportedBefore = stack.otlp().received();
        stack.takeCalls(); // another contestant's, or none
        Process process = contestants.launch(contestant, env, port);
        try {
            Double readySeconds = null;
            if (contestant.isService()) {
                readySeconds = processes.awaitReady(process, port) / 1000.0;
            }
            QueueDepth depth = resources.depth(queueUrl);
            int total = batch.bodies().size();
            if (warmFirst) {
                awaitDrained(process, spawned, env, queueUrl, expectedRows(contestant, warm));
                // a margin for the EMITTED marks, written after the acknowledgements; nothing here waits for them
                sleep(Duration.ofSeconds(1));
                ContestantProcesses.whileHeld(process, () -> resources.preload(queueUrl, measuredBatch.bodies()));
                depth = new QueueDepth(measured, 0, 0);
            } else {
                // the first receive: a message turns in flight
                while (depth.inFlight() == 0 && depth.visible() == measured) {
                    processes.requireAlive(process, env);
                    processes.requireWithin(spawned, env);
                    sleep(Duration.ofMillis(5));
                    depth = resources.depth(queueUrl);
                }
            }
            long start = System.nanoTime();
            ProcessStats before = ProcessStats.of(process.pid());
            long emulatorsBefore = stack.cpuMillis();
            int peakThreads = before.threads();
            NavigableMap<Long, Integer> remaining = new TreeMap<>();
            remaining.put(start, depth.visible() + depth.inFlight());
            int expectedRows = expectedRows(contestant, batch);
            long end;
            ProcessStats after;
            long emulatorsAfter;
            while (true) {
                while (!depth.empty()) {
                    processes.requireAlive(process, env);
                    processes.requireWithin(spawned, env);
                    sleep(POLL);
                    depth = resources.depth(queueUrl);
                    remaining.put(System.nanoTime(), depth.visible() + depth.inFlight());
                    peakThreads = Math.max(peakThreads, ProcessStats.threads(process.pid()));
                }
                // rows arrive only through the queue: with none left in it or in flight and every row stored, the
                // drain ended when the queue was seen empty; a follow-up still to be sent keeps it going
                long emptyAt = System.nanoTime();
                ProcessStats atEmpty = ProcessStats.of(process.pid());
                long emulatorsAtEmpty = stack.cpuMillis();
                if (resources.countRows(tableName(env)) >= expectedRows) {
                    end = emptyAt;
                    after = atEmpty;
                    emulatorsAfter = emulatorsAtEmpty;
                    break;
                }
                processes.requireAlive(process, env);
                processes.requireWithin(spawned, env);
                sleep(POLL);
                depth = resources.depth(queueUrl);
            }
            // the calls of the whole drain, warm-up included, on a table and queue that started empty; not the probes'
            BenchStack.RecordedCalls calls = stack.takeCalls();
            double allocatedKbPerEvent =
                    AllocationRate.kbPerMessage(AllocationRate.read(processes.gcLog(env)), spawned, remaining);
            MemoryShares memory = MemoryShares.of(process.pid());
            double seconds = (end - start) / 1e9;
            double eventsPerSecond = measured / seconds;
            LatencyResult latency = probeLatency && options.latencySeconds() > 0
                    ? probeLatency(queueUrl, env, eventsPerSecond / 2)
                    : null;
            ProcessStats last = ProcessStats.of(process.pid());
            long rows = resources.countRows(tableName(env)) - (latency == null ? 0 : latency.count());
            double cpuMillisPerMessage = (double) (after.cpuMillis() - before.cpuMillis()) / measured;
            EventCost cost = EventCost.of(
                    sourceRecordBytes(batch),
                    DynamoDbUnits.of(resources.shape(tableName(env)), calls.dynamoDb()),
                    calls.sqs(),
                    calls.gateway(),
                    cpuMillisPerMessage * total / batch.distinct(),
                    EventCost.Task.DEFAULT);
            return new BenchResult(
                    contestant,
                    run,
                    seconds,
                    eventsPerSecond,
                    cpuMillisPerMessage,
                    (double) (after.jitCpuMillis() - before.jitCpuMillis()) / measured,
                    (double) (emulatorsAfter - emulatorsBefore) / measured,
                    Math.max(after.peakRssKb(), last.peakRssKb()) / 1024.0,
                    last.rssKb() / 1024.0,
                    memory,
                    allocatedKbPerEvent,
                    peakThreads,
                    readySeconds,
                    latency,
                    rows,
                    // the service also stores the follow-ups it emits, which come back through the bus rule
                    expectedRows,
                    resources.deadLetters(env),
                    cost);
        } finally {
            ContestantProcesses.stop(process);
            resources.dispose(env);
            // the exporter flushes as the service stops: what a traced contestant exported, and none from the others
            OtlpReceiver.Received exported = stack.otlp().received().since(exportedBefore);
            log("%s %s exported %d OTLP requests, %d bytes"
                    .formatted(contestant.label(), run, exported.requests(), exported.bytes()));
        }
    }

    private int expectedRows(Contestant contestant, BenchMessages.Batch batch) {
        return contestants.emitsFollowUps(contestant) ? batch.distinct() + batch.followUps() : batch.distinct();
    }

    /** Waits until the queue is empty and the table holds {@code rows}: rows arrive only through the queue. */
    private void awaitDrained(Process process, long spawned, String env, String queueUrl, int rows) {
        while (true) {
            processes.requireAlive(process, env);
            processes.requireWithin(spawned, env);
            if (resources.depth(queueUrl).empty() && resources.countRows(tableName(env)) >= rows) {
                return;
            }
            sleep(POLL);
        }
    }

    /** The size of each distinct event's envelope: what the bus hands the archive for it. */
    private static List<Integer> sourceRecordBytes(BenchMessages.Batch batch) {
        return batch.bodies().stream()
                .distinct()
                .map(body -> body.getBytes(StandardCharsets.UTF_8).length)
                .toList();
    }

    /**
     * Publishes probes at the given rate for {@code --latency-seconds}, each with its publish time as the detail's
     * timestamp, all in one saga; when they are all processed, reads them back by the saga index and takes
     * {@code received_at - timestamp}.
     */
    private LatencyResult probeLatency(String queueUrl, String env, double rate) {
        String saga = "latency-probe-" + env;
        Random random = new Random(11);
        int total = (int) Math.max(10, rate * options.latencySeconds());
        long intervalNanos = (long) (1e9 / Math.max(rate, 1));
        long next = System.nanoTime();
        List<CompletableFuture<?>> sends = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                sleep(Duration.ofNanos(wait));
            }
            next += intervalNanos;
            String body = BenchMessages.probe(random, saga, Instant.now());
            sends.add(resources.send(queueUrl, body));
        }
        CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).join();
        QueueDepth depth = resources.depth(queueUrl);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!depth.empty() && System.nanoTime() < deadline) {
            sleep(POLL);
            depth = resources.depth(queueUrl);
        }
        List<Long> latencies = new ArrayList<>(total);
        for (var item : resources.sagaEvents(env, saga)) {
            latencies.add(Duration.between(
                            Instant.parse(item.get(EventTable.TIMESTAMP).s()),
                            Instant.parse(item.get(EventTable.RECEIVED_AT).s()))
                    .toMillis());
        }
        Collections.sort(latencies);
        if (latencies.size() < total) {
            log("latency probe: only %d of %d probes stored".formatted(latencies.size(), total));
        }
        return new LatencyResult(rate, latencies.size(), percentile(latencies, 50), percentile(latencies, 99));
    }

    private static long percentile(List<Long> sorted, int percent) {
        if (sorted.isEmpty()) {
            return -1;
        }
        int index = (int) Math.ceil(percent / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1)));
    }
}
