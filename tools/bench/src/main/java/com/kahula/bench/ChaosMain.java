package com.kahula.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.kahula.embeddedaws.BusEvent;
import com.kahula.embeddedaws.EmbeddedAwsStack;
import com.kahula.embeddedaws.EventBridgeEmulator;
import com.kahula.eventpersister.config.PersisterProperties;
import com.kahula.eventpersister.store.EventTable;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.springframework.boot.context.properties.bind.Binder;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * The chaos soak: events through the service as it ships (the packaged jar, a process of its own, default settings but
 * for the circuit breaker's open time, scaled with the faults) while it is killed with SIGKILL and restarted, each kill aimed at work it catches in flight (writes at DynamoDB,
 * follow-ups on the bus whose answer has not come, EMITTED marks queued), DynamoDB is frozen, SQS drops its
 * connections, and EventBridge throttles, fails and goes away; then a ledger written before the start holds the table,
 * the dead-letter queue and the service's counters. Every fault's effect is measured and returned with the verdict.
 * Run it with {@code bench/chaos.sh}; {@code ChaosIT} runs a short one in {@code ./mvnw verify}.
 */
public final class ChaosMain {

    private static final String ENV = "chaos";
    private static final String QUEUE = "kahula-event-persister-" + ENV;
    private static final Duration READY_WITHIN = Duration.ofSeconds(120);
    private static final Duration AIM_WITHIN = Duration.ofSeconds(90);
    private static final Duration SETTLE = Duration.ofMillis(300);
    // more marks than the service writes at a time: some of them wait in its queue
    private static final int MARKS_TO_CATCH = 10;
    private static final ObjectMapper JSON = new ObjectMapper();
    // The queue of a soak with long outages: a visibility timeout that holds the default retry budget (41 s) and few
    // receives, so that each long outage lasts LONG_OUTAGE_RECEIVES times visibility x maxReceiveCount.
    private static final Duration LONG_OUTAGE_VISIBILITY = Duration.ofSeconds(45);
    private static final int LONG_OUTAGE_MAX_RECEIVES = 3;
    private static final int LONG_OUTAGE_RECEIVES = 3;
    // After the listener paused, a receive already waiting may still answer; nothing is received after this.
    private static final Duration PAUSE_SETTLES_WITHIN = Duration.ofSeconds(5);
    // the service's default; at full scale the soak runs with it
    private static final Duration BREAKER_OPEN_FOR = new Binder()
            .bindOrCreate("persister.follow-up", PersisterProperties.FollowUps.class)
            .circuitBreakerOpenFor();

    /** The work a kill is aimed at, in the order the kills take them. */
    enum Aim {
        MID_WRITE("writes in flight at a frozen DynamoDB, to land after the kill"),
        FOLLOW_UPS_IN_FLIGHT("follow-ups the bus accepted, their answers held back"),
        MARKS_QUEUED("EMITTED marks queued in the service, their writes held back");

        private final String what;

        Aim(String what) {
            this.what = what;
        }
    }

    /**
     * A kill as it happened: what the killed process held at its last reading (messages in flight, EMITTED marks
     * queued), the PutItem calls in flight at the gateway when it died, and the accepted follow-up entries whose
     * answers were held for it.
     */
    record Kill(Aim aim, long inFlightMessages, long marksQueued, int putItemsInFlight, long acceptedEntriesHeld) {

        @Override
        public String toString() {
            return "%s: %d messages in flight, %d marks queued, %d PutItem calls in flight, %d accepted entries held"
                    .formatted(aim, inFlightMessages, marksQueued, putItemsInFlight, acceptedEntriesHeld);
        }
    }

    /** What the faults did, each measured where it was injected: a soak means something only if every one took effect. */
    record Effects(
            List<Kill> kills,
            int putItemsWaitingWhileFrozen,
            long putItemTimeoutsWhileFrozen,
            long putEventsEntries,
            long throttledEntries,
            long failedPutEvents,
            long droppedPutEvents,
            long droppedSqsRequests,
            long indexableFollowUps,
            LongOutages longOutages) {

        /** Each fault that did not take effect, named; empty when every one did. */
        List<String> missing() {
            List<String> missing = new ArrayList<>();
            for (Kill kill : kills) {
                if (kill.inFlightMessages() <= 0) {
                    missing.add("the kill aimed at " + kill.aim() + " caught no message in flight");
                }
                switch (kill.aim()) {
                    case MID_WRITE -> require(missing, kill.putItemsInFlight() > 0, "no write in flight at a kill");
                    case FOLLOW_UPS_IN_FLIGHT ->
                        require(missing, kill.acceptedEntriesHeld() > 0, "no follow-up in flight at a kill");
                    case MARKS_QUEUED -> require(missing, kill.marksQueued() > 0, "no mark queued at a kill");
                }
            }
            require(missing, putItemsWaitingWhileFrozen > 0, "no write waited on the frozen DynamoDB");
            require(missing, putItemTimeoutsWhileFrozen > 0, "no write timed out while DynamoDB was frozen");
            require(missing, throttledEntries > 0, "no entry throttled");
            require(missing, failedPutEvents > 0, "no PutEvents answered 500");
            require(missing, droppedPutEvents > 0, "no PutEvents dropped while the bus was down");
            require(missing, droppedSqsRequests > 0, "no SQS request dropped");
            require(missing, indexableFollowUps > 0, "no *ValidatedEvent in the mix");
            missing.addAll(longOutages.missing());
            return missing;
        }

        private static void require(List<String> missing, boolean tookEffect, String otherwise) {
            if (!tookEffect) {
                missing.add(otherwise);
            }
        }

        @Override
        public String toString() {
            return ("kills %s; while dynalite was frozen %d writes waited on it and %d timed out; PutEvents entries"
                            + " %d, of them throttled %d; PutEvents requests failed %d, dropped %d; SQS requests dropped"
                            + " %d; IndexableEvent follow-ups expected %d; %s")
                    .formatted(
                            kills,
                            putItemsWaitingWhileFrozen,
                            putItemTimeoutsWhileFrozen,
                            putEventsEntries,
                            throttledEntries,
                            failedPutEvents,
                            droppedPutEvents,
                            droppedSqsRequests,
                            indexableFollowUps,
                            longOutages);
        }
    }

    /**
     * The long outages, each {@link #LONG_OUTAGE_RECEIVES} times the queue's visibility timeout x maxReceiveCount, as
     * they went: while the bus was down, the events the service stored (their messages acknowledged) and the PutEvents
     * calls it dropped; while DynamoDB was frozen, whether the listener paused, and the receives after it had settled.
     */
    record LongOutages(
            boolean run,
            Duration length,
            long storedWhileTheBusWasDown,
            long putEventsDroppedWhileTheBusWasDown,
            boolean listenerPaused,
            long receivesWhilePaused) {

        static LongOutages skipped() {
            return new LongOutages(false, Duration.ZERO, 0, 0, false, 0);
        }

        /** Each long outage that did not take effect, and any message received while the listener was paused. */
        List<String> missing() {
            List<String> missing = new ArrayList<>();
            if (run) {
                Effects.require(missing, storedWhileTheBusWasDown > 0, "nothing stored during the long bus outage");
                Effects.require(
                        missing, putEventsDroppedWhileTheBusWasDown > 0, "no PutEvents dropped in the long bus outage");
                Effects.require(missing, listenerPaused, "the listener did not pause while DynamoDB was frozen");
                Effects.require(
                        missing,
                        receivesWhilePaused == 0,
                        receivesWhilePaused + " messages received while the listener was paused");
            }
            return missing;
        }

        @Override
        public String toString() {
            return run
                    ? ("long outages of %d s: bus down, %d events stored, %d PutEvents dropped; DynamoDB frozen, the"
                                    + " listener %s, %d messages received while paused")
                            .formatted(
                                    length.toSeconds(),
                                    storedWhileTheBusWasDown,
                                    putEventsDroppedWhileTheBusWasDown,
                                    listenerPaused ? "paused" : "NOT paused",
                                    receivesWhilePaused)
                    : "no long outages";
        }
    }

    /** The ledger's verdict and the faults' effects. */
    record Run(ChaosLedger.Verdict verdict, Effects effects) {

        /** What is wrong with the run: the ledger's failures, a fault without effect, a marks kill that left none. */
        List<String> failures() {
            List<String> failures = new ArrayList<>(verdict.failures());
            failures.addAll(effects.missing());
            boolean marksKilled = effects.kills().stream().anyMatch(kill -> kill.aim() == Aim.MARKS_QUEUED);
            if (marksKilled && verdict.unmarkedFollowUps() == 0 && verdict.sentAgainAfterKills() == 0) {
                failures.add("the kill aimed at EMITTED marks left no item PENDING and no follow-up sent again");
            }
            return failures;
        }

        boolean clean() {
            return failures().isEmpty();
        }
    }

    private final int events;
    private final int kills;
    private final double faultScale;
    private final boolean longOutages;
    private LongOutages longOutagesDone = LongOutages.skipped();
    private final Path jar;
    private final Path logs;
    private final Random random = new Random(23);
    private final List<Kill> done = new ArrayList<>();
    private final Map<String, String> poisonMessageIds = new ConcurrentHashMap<>();

    private EmbeddedAwsStack stack;
    private SqsClient sqs;
    private DynamoDbClient dynamoDb;
    private Process service;
    private int servicePort;
    private int serviceStarts;
    private ServiceCounters counted = ServiceCounters.none();
    private long putItemsInFlightAtKills;
    private final Set<String> followUpsHeardByKilledProcesses = new HashSet<>();
    private int putItemsWaitingWhileFrozen;
    private long putItemTimeoutsWhileFrozen;
    // from a kill's freeze until the next process is ready: the producer waits
    private volatile boolean frozen;

    private ChaosMain(int events, int kills, double faultScale, boolean longOutages, Path jar, Path logs) {
        this.events = events;
        this.kills = kills;
        this.faultScale = faultScale;
        this.longOutages = longOutages;
        this.jar = jar;
        this.logs = logs;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>(Map.of(
                "--events",
                "50000",
                "--kills",
                "3",
                "--fault-scale",
                "1",
                "--long-outages",
                "on",
                "--jar",
                "../../service/target/event-persister-0.1.0-SNAPSHOT-exec.jar"));
        for (int i = 0; i < args.length; i += 2) {
            if (!options.containsKey(args[i]) || i + 1 == args.length) {
                System.err.println(
                        "usage: bench/chaos.sh [--events 50000] [--kills 3] [--fault-scale 1] [--long-outages on|off]"
                                + " [--jar <path>]");
                System.exit(2);
            }
            options.put(args[i], args[i + 1]);
        }
        if (!(Double.parseDouble(options.get("--fault-scale")) > 0)) {
            System.err.println("--fault-scale must be above 0");
            System.exit(2);
        }
        if (!Set.of("on", "off").contains(options.get("--long-outages"))) {
            System.err.println("--long-outages is on or off");
            System.exit(2);
        }
        Run run = run(
                Integer.parseInt(options.get("--events")),
                Integer.parseInt(options.get("--kills")),
                Double.parseDouble(options.get("--fault-scale")),
                options.get("--long-outages").equals("on"),
                Path.of(options.get("--jar")),
                Path.of("target/chaos"));
        System.exit(run.clean() ? 0 : 1);
    }

    /**
     * Runs a soak of {@code events} messages with {@code kills} kills, each fault lasting {@code faultScale} times its
     * full length, and with {@code longOutages} the long bus and store outages after the others: the ledger's verdict
     * and what each fault did.
     */
    static Run run(int events, int kills, double faultScale, boolean longOutages, Path jar, Path logs)
            throws Exception {
        Files.createDirectories(logs);
        return new ChaosMain(events, kills, faultScale, longOutages, jar, logs).soak();
    }

    private Run soak() throws Exception {
        Instant started = Instant.now();
        List<BenchMessages.Sent> sent = BenchMessages.chaos(events, 17);
        List<ChaosLedger.Poison> poison = poison(Math.max(2, events / 1000));
        ChaosLedger ledger = new ChaosLedger(sent, poison);
        List<String> bodies =
                new ArrayList<>(sent.stream().map(BenchMessages.Sent::body).toList());
        poison.forEach(injected -> bodies.add(random.nextInt(bodies.size()), injected.body()));
        Map<String, String> poisonReasons = new HashMap<>();
        poison.forEach(injected -> poisonReasons.put(injected.body(), injected.reason()));
        Bench.log(("chaos: %d messages (%d distinct events, %d follow-ups expected of which %d IndexableEvent,"
                        + " %d exact duplicates, %d poison), %d kills")
                .formatted(
                        bodies.size(),
                        ledger.distinctEvents(),
                        ledger.followUps(),
                        ledger.followUps("IndexableEvent"),
                        ledger.injectedDuplicates(),
                        poison.size(),
                        kills));
        try (EmbeddedAwsStack running = EmbeddedAwsStack.start(0)) {
            stack = running;
            // the soak's own calls go to the emulators directly, past the gateway's faults and its delivery count
            sqs = SqsClient.builder()
                    .endpointOverride(stack.sqsEndpoint())
                    .region(software.amazon.awssdk.regions.Region.of(EmbeddedAwsStack.REGION))
                    .credentialsProvider(EmbeddedAwsStack.credentials())
                    .build();
            dynamoDb = DynamoDbClient.builder()
                    .endpointOverride(stack.dynamoDbEndpoint())
                    .region(software.amazon.awssdk.regions.Region.of(EmbeddedAwsStack.REGION))
                    .credentialsProvider(EmbeddedAwsStack.credentials())
                    .build();
            stack.recordDeliveries(QUEUE);
            startService();
            String queueUrl = sqs.getQueueUrl(r -> r.queueName(QUEUE)).queueUrl();
            Duration spread = scaled(plannedSeconds());
            Thread producer = Thread.ofPlatform()
                    .name("chaos-producer")
                    .start(() -> send(queueUrl, bodies, poisonReasons, spread));
            faults();
            producer.join();
            awaitDrained(queueUrl);
            counted = counted.plus(ServiceCounters.read(servicePort));
            Instant ended = Instant.now();
            EventBridgeEmulator eventBridge = stack.eventBridge();
            ChaosLedger.Measured measured = measured(poisonReasons);
            ChaosLedger.Verdict verdict = ledger.check(table(), deadLetters(), counted, measured, started, ended);
            Effects effects = new Effects(
                    List.copyOf(done),
                    putItemsWaitingWhileFrozen,
                    putItemTimeoutsWhileFrozen,
                    eventBridge.putEventsEntries(),
                    eventBridge.throttledEntries(),
                    eventBridge.failedRequests(),
                    eventBridge.droppedRequests(),
                    stack.droppedSqsRequests(),
                    ledger.followUps("IndexableEvent"),
                    longOutagesDone);
            Bench.log("chaos: %d service starts, %.0f s; %s"
                    .formatted(serviceStarts, Duration.between(started, ended).toMillis() / 1e3, effects));
            Run run = new Run(verdict, effects);
            Bench.log("chaos: %s; %s".formatted(verdict, run.clean() ? "CLEAN" : "NOT CLEAN: " + run.failures()));
            return run;
        } finally {
            if (service != null) {
                service.destroy();
                service.waitFor(30, TimeUnit.SECONDS);
            }
            if (sqs != null) {
                sqs.close();
            }
            if (dynamoDb != null) {
                dynamoDb.close();
            }
        }
    }

    /**
     * The fault schedule: EventBridge throttles 30 % of entries throughout, the drain included (most follow-ups are sent
     * then, the messages that carry them left for redelivery while the bus was down); the kills, each aimed at its
     * work; dynalite frozen for 20 s; SQS connections dropped for 10 s; EventBridge answering 500 for 10 s, then down
     * for 30 s.
     */
    private void faults() throws Exception {
        EventBridgeEmulator eventBridge = stack.eventBridge();
        eventBridge.throttleEntries(0.3);
        step(5, "EventBridge throttles 30 % of entries");
        killIfPlanned(0);
        long timeoutsBefore = putItemTimeouts();
        stack.pauseDynamoDb();
        step(20, "dynalite paused (SIGSTOP) for 20 s");
        putItemsWaitingWhileFrozen = stack.putItemsInFlight();
        putItemTimeoutsWhileFrozen = putItemTimeouts() - timeoutsBefore;
        stack.resumeDynamoDb();
        killIfPlanned(1);
        stack.dropSqsConnections(true);
        step(10, "SQS connections dropped for 10 s");
        stack.dropSqsConnections(false);
        killIfPlanned(2);
        for (int k = 3; k < kills; k++) {
            step(5, "running");
            killIfPlanned(k);
        }
        eventBridge.failRequests(500);
        step(10, "EventBridge answers 500 for 10 s");
        eventBridge.clearFaults();
        eventBridge.throttleEntries(0.3);
        eventBridge.down(true);
        step(30, "EventBridge down for 30 s");
        eventBridge.down(false);
        if (longOutages) {
            longOutages();
        }
        Bench.log("chaos: faults over but the throttling, draining");
    }

    /**
     * The bus down, then DynamoDB frozen, each for {@link #LONG_OUTAGE_RECEIVES} x the visibility timeout x
     * maxReceiveCount while messages keep arriving: before the outbox and the listener's pause, either outage moved
     * every message it touched to the dead-letter queue.
     */
    private void longOutages() throws Exception {
        Duration length = scaled(longOutageSeconds());
        EventBridgeEmulator eventBridge = stack.eventBridge();
        long storedBefore = read().get(ServiceCounters.Count.STORED);
        long droppedBefore = eventBridge.droppedRequests();
        eventBridge.down(true);
        step(longOutageSeconds(), "EventBridge down for %d s".formatted(longOutageSeconds()));
        eventBridge.down(false);
        long stored = read().get(ServiceCounters.Count.STORED) - storedBefore;
        long dropped = eventBridge.droppedRequests() - droppedBefore;

        Bench.log("chaos: dynalite paused (SIGSTOP) for %d s".formatted(longOutageSeconds()));
        stack.pauseDynamoDb();
        long frozenAt = System.nanoTime();
        long pausedAt = -1;
        long deliveredOnceSettled = -1;
        long deliveredAtTheEnd = -1;
        while (System.nanoTime() - frozenAt < length.toNanos()) {
            Bench.sleep(Duration.ofSeconds(1));
            boolean paused = read().get(ServiceCounters.Count.LISTENER_PAUSED) == 1;
            if (paused && pausedAt < 0) {
                pausedAt = System.nanoTime();
            }
            if (pausedAt >= 0
                    && deliveredOnceSettled < 0
                    && System.nanoTime() - pausedAt >= PAUSE_SETTLES_WITHIN.toNanos()) {
                deliveredOnceSettled = stack.delivered();
            }
            if (paused && deliveredOnceSettled >= 0) {
                deliveredAtTheEnd = stack.delivered();
            }
        }
        stack.resumeDynamoDb();
        longOutagesDone = new LongOutages(
                true,
                length,
                stored,
                dropped,
                pausedAt >= 0,
                deliveredOnceSettled < 0 ? 0 : deliveredAtTheEnd - deliveredOnceSettled);
        Bench.log("chaos: " + longOutagesDone);
    }

    private int longOutageSeconds() {
        return LONG_OUTAGE_RECEIVES * (int) LONG_OUTAGE_VISIBILITY.toSeconds() * LONG_OUTAGE_MAX_RECEIVES;
    }

    /** The seconds the schedule runs at full length, over which the messages are sent. */
    private int plannedSeconds() {
        return 5 + 20 + 10 + 5 * Math.max(0, kills - 3) + 10 + 30 + (longOutages ? 2 * longOutageSeconds() : 0);
    }

    private Duration scaled(int seconds) {
        return Duration.ofMillis((long) (seconds * 1000 * faultScale));
    }

    /** The PutItem calls the service counted as failed that were not answered with a failed condition. */
    private long putItemTimeouts() {
        return read().get(ServiceCounters.Count.PUT_ITEM_ERRORS) - stack.conditionFailedPutItems();
    }

    private void step(int seconds, String what) {
        Bench.log("chaos: " + what + (faultScale == 1 ? "" : " (scaled to %.1f s)".formatted(seconds * faultScale)));
        Bench.sleep(scaled(seconds));
        EventBridgeEmulator eventBridge = stack.eventBridge();
        Bench.log("chaos: so far %d deliveries, %d PutEvents entries of which %d throttled"
                .formatted(stack.delivered(), eventBridge.putEventsEntries(), eventBridge.throttledEntries()));
    }

    private void killIfPlanned(int k) throws Exception {
        if (k < kills) {
            done.add(kill(Aim.values()[k % Aim.values().length]));
        }
    }

    /**
     * Waits for the work the kill is aimed at, then holds back every AWS answer (dynalite frozen, SQS requests and
     * PutEvents answers held at the gateway, the producer paused) until the service's counts stand still, reads them,
     * and kills it with SIGKILL. Whatever the process held then is measured; its held requests are dropped, as its
     * connections died with it, and it starts again.
     */
    private Kill kill(Aim aim) throws Exception {
        Bench.log("chaos: aiming a SIGKILL at " + aim.what);
        long heldBefore = heldAcceptedEntries();
        switch (aim) {
            case MID_WRITE -> stack.pauseDynamoDb();
            case FOLLOW_UPS_IN_FLIGHT -> stack.putEventsAnswerGate().hold();
            case MARKS_QUEUED -> stack.updateItemGate().hold();
        }
        awaitAim(
                aim,
                switch (aim) {
                    case MID_WRITE -> () -> stack.putItemsInFlight() >= 1;
                    case FOLLOW_UPS_IN_FLIGHT -> () -> heldAcceptedEntries() > heldBefore;
                    case MARKS_QUEUED -> () -> read().get(ServiceCounters.Count.MARKS_QUEUED) >= MARKS_TO_CATCH;
                });
        stack.pauseDynamoDb();
        stack.sqsGate().hold();
        stack.putEventsAnswerGate().hold();
        frozen = true;
        ServiceCounters reading = settled();
        counted = counted.plus(reading);
        service.destroyForcibly();
        service.waitFor(30, TimeUnit.SECONDS);
        Kill kill = new Kill(
                aim,
                reading.get(ServiceCounters.Count.IN_FLIGHT),
                reading.get(ServiceCounters.Count.MARKS_QUEUED),
                putItemsInFlightAfterDeath(),
                heldAcceptedEntries() - heldBefore);
        putItemsInFlightAtKills += kill.putItemsInFlight();
        followUpsHeardByKilledProcesses.addAll(stack.takeAnsweredDetailIds());
        stack.sqsGate().openDroppingHeld();
        stack.putEventsAnswerGate().openDroppingHeld();
        stack.updateItemGate().openDroppingHeld();
        stack.resumeDynamoDb();
        Bench.log("chaos: killed with " + kill + "; starting it again");
        startService();
        frozen = false;
        return kill;
    }

    /**
     * The PutItem calls at the gateway, held by the frozen dynalite, after the process died: the most seen over half a
     * second, as a call the process sent just before it died may reach the gateway a moment later.
     */
    private int putItemsInFlightAfterDeath() {
        int most = stack.putItemsInFlight();
        for (int look = 0; look < 10; look++) {
            Bench.sleep(Duration.ofMillis(50));
            most = Math.max(most, stack.putItemsInFlight());
        }
        return most;
    }

    private long heldAcceptedEntries() {
        return stack.heldAcceptedEntries().values().stream()
                .mapToLong(Long::longValue)
                .sum();
    }

    private void awaitAim(Aim aim, BooleanSupplier reached) {
        long deadline = System.nanoTime() + AIM_WITHIN.toNanos();
        while (!reached.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "no " + aim.what + " within " + AIM_WITHIN + ": the kill cannot be aimed");
            }
            Bench.sleep(Duration.ofMillis(20));
        }
    }

    /** Reads the service's counts until two readings, {@link #SETTLE} apart, agree: nothing completes any more. */
    private ServiceCounters settled() throws Exception {
        ServiceCounters reading = ServiceCounters.read(servicePort);
        for (int tries = 0; tries < 30; tries++) {
            Bench.sleep(SETTLE);
            ServiceCounters next = ServiceCounters.read(servicePort);
            if (next.sameCounts(reading)) {
                return next;
            }
            reading = next;
        }
        throw new IllegalStateException("the service's counts still moved with every AWS answer held back");
    }

    private ServiceCounters read() {
        try {
            return ServiceCounters.read(servicePort);
        } catch (IOException e) {
            throw new IllegalStateException("could not read the service's metrics", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** What the gateway and the bus measured, for the ledger's counter bounds. */
    private ChaosLedger.Measured measured(Map<String, String> poisonReasons) {
        Map<String, Integer> deliveries = stack.deliveries();
        Map<String, Long> poisonDeliveries = new HashMap<>();
        poisonMessageIds.forEach((body, messageId) -> poisonDeliveries.merge(
                poisonReasons.get(body), (long) deliveries.getOrDefault(messageId, 0), Long::sum));
        Map<String, List<String>> busIds = new HashMap<>();
        for (BusEvent accepted : stack.eventBridge().acceptedEvents()) {
            if (accepted.source().equals(ChaosLedger.FOLLOW_UP_SOURCE)) {
                busIds.computeIfAbsent(accepted.detail().path("id").asText(), id -> new ArrayList<>())
                        .add(busId(accepted.envelope()));
            }
        }
        Map<String, Long> unanswered = new HashMap<>(stack.heldAcceptedEntries());
        stack.slowAcceptedEntries().forEach((type, slow) -> unanswered.merge(type, slow, Long::sum));
        return new ChaosLedger.Measured(
                stack.delivered(),
                poisonDeliveries,
                busIds,
                unanswered,
                counted.get(ServiceCounters.Count.PUT_ITEM_ERRORS),
                stack.conditionFailedPutItems(),
                putItemsInFlightAtKills,
                Set.copyOf(followUpsHeardByKilledProcesses));
    }

    private static String busId(String envelope) {
        try {
            return JSON.readTree(envelope).path("id").asText();
        } catch (IOException e) {
            throw new IllegalStateException("the bus recorded an envelope that is not JSON", e);
        }
    }

    private void startService() throws Exception {
        int port = Bench.freePort();
        servicePort = port;
        serviceStarts++;
        Path log = logs.resolve("service-" + serviceStarts + ".log");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-jar",
                jar.toAbsolutePath().toString(),
                "--spring.profiles.active=local",
                "--spring.cloud.aws.endpoint=" + stack.endpoint(),
                "--persister.env=" + ENV,
                "--server.port=" + port,
                // faults shortened, so is the time the breaker stays open: else it outlasts them
                "--persister.follow-up.circuit-breaker-open-for=" + Math.round(BREAKER_OPEN_FOR.toMillis() * faultScale)
                        + "ms"));
        if (longOutages) {
            // a queue on which each long outage lasts LONG_OUTAGE_RECEIVES times its redrive
            command.add("--persister.provisioning.visibility-timeout=" + LONG_OUTAGE_VISIBILITY.toSeconds() + "s");
            command.add("--persister.provisioning.max-receive-count=" + LONG_OUTAGE_MAX_RECEIVES);
        }
        service = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest readiness = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness"))
                .timeout(Duration.ofSeconds(2))
                .build();
        long deadline = System.nanoTime() + READY_WITHIN.toNanos();
        while (System.nanoTime() < deadline) {
            if (!service.isAlive()) {
                throw new IllegalStateException("the service exited; see " + log);
            }
            try {
                if (http.send(readiness, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Bench.sleep(Duration.ofMillis(200));
        }
        throw new IllegalStateException("the service was not ready within " + READY_WITHIN + "; see " + log);
    }

    /**
     * Sends the messages in batches of ten, spread evenly over {@code spread} of the schedule's own time: paused from a
     * kill's freeze until the new process is ready, so that the later faults and kills still find messages flowing.
     */
    private void send(String queueUrl, List<String> bodies, Map<String, String> poisonReasons, Duration spread) {
        long start = System.nanoTime();
        long paused = 0;
        for (int from = 0; from < bodies.size(); from += 10) {
            long due = start + spread.toNanos() * from / bodies.size();
            while (System.nanoTime() < due + paused || frozen) {
                long before = System.nanoTime();
                Bench.sleep(Duration.ofMillis(5));
                if (frozen) {
                    paused += System.nanoTime() - before;
                }
            }
            List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
            for (int i = from; i < Math.min(from + 10, bodies.size()); i++) {
                entries.add(SendMessageBatchRequestEntry.builder()
                        .id(Integer.toString(i))
                        .messageBody(bodies.get(i))
                        .build());
            }
            SendMessageBatchResponse response =
                    sqs.sendMessageBatch(r -> r.queueUrl(queueUrl).entries(entries));
            if (!response.failed().isEmpty()) {
                throw new IllegalStateException("the queue refused messages: " + response.failed());
            }
            response.successful().forEach(entry -> {
                String body = bodies.get(Integer.parseInt(entry.id()));
                if (poisonReasons.containsKey(body)) {
                    poisonMessageIds.put(body, entry.messageId());
                }
            });
        }
        Bench.log("chaos: all %d messages sent".formatted(bodies.size()));
    }

    /**
     * Until the queue holds nothing, visible or in flight, and the outbox no pending follow-up, for 10 s in a row: what
     * a lost mark left PENDING, the sweeper sends after its grace period, with nothing done by hand.
     */
    private void awaitDrained(String queueUrl) {
        long quietSince = System.nanoTime();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(15);
        while (System.nanoTime() - quietSince < TimeUnit.SECONDS.toNanos(10)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the queue and the outbox did not drain within 15 minutes");
            }
            Map<QueueAttributeName, String> depth = sqs.getQueueAttributes(r -> r.queueUrl(queueUrl)
                            .attributeNames(
                                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                    .attributes();
            if (!"0".equals(depth.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                    || !"0".equals(depth.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                    || anyFollowUpPending()) {
                quietSince = System.nanoTime();
            }
            Bench.sleep(Duration.ofSeconds(1));
        }
    }

    /** Whether any of the outbox index's pending shards holds an entry. */
    private boolean anyFollowUpPending() {
        for (int shard = 0; shard < EventTable.OUTBOX_SHARDS; shard++) {
            String key = EventTable.pendingShard(shard);
            if (dynamoDb.query(r -> r.tableName("kahula-events-" + ENV)
                                    .indexName(EventTable.OUTBOX_INDEX)
                                    .keyConditionExpression(EventTable.FOLLOW_UP_OUTBOX + " = :shard")
                                    .expressionAttributeValues(Map.of(":shard", AttributeValue.fromS(key)))
                                    .limit(1))
                            .count()
                    > 0) {
                return true;
            }
        }
        return false;
    }

    private Map<String, Map<String, AttributeValue>> table() {
        Map<String, Map<String, AttributeValue>> items = new HashMap<>();
        dynamoDb.scanPaginator(r -> r.tableName("kahula-events-" + ENV))
                .items()
                .forEach(item -> items.put(item.get("unique_id").s(), item));
        return items;
    }

    private List<Map.Entry<String, String>> deadLetters() {
        String url = sqs.getQueueUrl(r -> r.queueName(QUEUE + "-dlq")).queueUrl();
        List<Map.Entry<String, String>> letters = new ArrayList<>();
        List<Message> received;
        do {
            received = sqs.receiveMessage(
                            r -> r.queueUrl(url).maxNumberOfMessages(10).messageAttributeNames("All"))
                    .messages();
            for (Message message : received) {
                var reason = message.messageAttributes().get("persister-error");
                letters.add(Map.entry(message.body(), reason == null ? "(none)" : reason.stringValue()));
                sqs.deleteMessage(r -> r.queueUrl(url).receiptHandle(message.receiptHandle()));
            }
        } while (!received.isEmpty());
        return letters;
    }

    /** Messages that can never be stored: not JSON, and an event whose producer id is over DynamoDB's key limit. */
    private static List<ChaosLedger.Poison> poison(int count) {
        List<ChaosLedger.Poison> poison = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String token = UUID.randomUUID().toString();
            if (i % 2 == 0) {
                poison.add(new ChaosLedger.Poison("not json " + token, "not-json", null));
            } else {
                String producerId = token + "x".repeat(3000);
                poison.add(new ChaosLedger.Poison(
                        ("{\"version\":\"0\",\"id\":\"%s\",\"detail-type\":\"com.kahula.chaos.PoisonEvent\","
                                        + "\"source\":\"kahula.chaos\",\"time\":\"2026-11-27T10:00:00Z\","
                                        + "\"detail\":{\"id\":\"%s\"}}")
                                .formatted(token, producerId),
                        "store-rejected",
                        producerId));
            }
        }
        return poison;
    }
}
