package com.kahula.bench;

import com.kahula.embeddedaws.EmbeddedAwsStack;
import com.kahula.embeddedaws.EventBridgeEmulator;
import java.time.Duration;

/** The chaos soak's fault schedule: each fault injected in turn, the kills among them, and what each did. */
final class ChaosFaults {

    private static final double THROTTLED_SHARE = 0.3;
    private static final int THROTTLED_BEFORE_THE_FIRST_KILL = 5;
    private static final int DYNAMODB_FROZEN = 20;
    private static final int SQS_DROPPED = 10;
    private static final int BETWEEN_FURTHER_KILLS = 5;
    private static final int BUS_FAILING = 10;
    private static final int BUS_DOWN = 30;
    // the kills that have a fault after them; further kills each get a step of their own
    private static final int SCHEDULED_KILLS = 3;
    // After the listener paused, a receive already waiting may still answer; nothing is received after this.
    private static final Duration PAUSE_SETTLES_WITHIN = Duration.ofSeconds(5);

    private final ChaosOptions options;
    private final EmbeddedAwsStack stack;
    private final ChaosService service;
    private final ChaosKiller killer;
    private int putItemsWaitingWhileFrozen;
    private long putItemTimeoutsWhileFrozen;
    private ChaosEffects.LongOutages longOutagesDone = ChaosEffects.LongOutages.skipped();

    ChaosFaults(ChaosOptions options, EmbeddedAwsStack stack, ChaosService service, ChaosKiller killer) {
        this.options = options;
        this.stack = stack;
        this.service = service;
        this.killer = killer;
    }

    /** The seconds the schedule runs at full length with {@code kills} kills, the long outages apart. */
    static int plannedSeconds(int kills) {
        return THROTTLED_BEFORE_THE_FIRST_KILL
                + DYNAMODB_FROZEN
                + SQS_DROPPED
                + BETWEEN_FURTHER_KILLS * Math.max(0, kills - SCHEDULED_KILLS)
                + BUS_FAILING
                + BUS_DOWN;
    }

    /**
     * The fault schedule: EventBridge throttles entries throughout, the drain included (most follow-ups are sent then,
     * the messages that carry them left for redelivery while the bus was down); the kills, each aimed at its work;
     * dynalite frozen; SQS connections dropped; EventBridge answering 500, then down; then, when the options ask for
     * them, the long outages. Each step logs its length as it starts.
     */
    void run() throws Exception {
        EventBridgeEmulator eventBridge = stack.eventBridge();
        eventBridge.throttleEntries(THROTTLED_SHARE);
        step(THROTTLED_BEFORE_THE_FIRST_KILL, throttling());
        killer.killIfPlanned(0);
        long timeoutsBefore = putItemTimeouts();
        stack.pauseDynamoDb();
        step(DYNAMODB_FROZEN, "dynalite paused (SIGSTOP) for %d s".formatted(DYNAMODB_FROZEN));
        putItemsWaitingWhileFrozen = stack.putItemsInFlight();
        putItemTimeoutsWhileFrozen = putItemTimeouts() - timeoutsBefore;
        stack.resumeDynamoDb();
        killer.killIfPlanned(1);
        stack.dropSqsConnections(true);
        step(SQS_DROPPED, "SQS connections dropped for %d s".formatted(SQS_DROPPED));
        stack.dropSqsConnections(false);
        killer.killIfPlanned(2);
        for (int k = SCHEDULED_KILLS; k < options.kills(); k++) {
            step(BETWEEN_FURTHER_KILLS, "running");
            killer.killIfPlanned(k);
        }
        eventBridge.failRequests(500);
        step(BUS_FAILING, "EventBridge answers 500 for %d s".formatted(BUS_FAILING));
        eventBridge.clearFaults();
        eventBridge.throttleEntries(THROTTLED_SHARE);
        eventBridge.down(true);
        step(BUS_DOWN, "EventBridge down for %d s".formatted(BUS_DOWN));
        eventBridge.down(false);
        if (options.longOutages()) {
            runLongOutages();
        }
        Bench.log("chaos: faults over but the throttling, draining");
    }

    private static String throttling() {
        return "EventBridge throttles %.0f %% of entries".formatted(THROTTLED_SHARE * 100);
    }

    /**
     * The bus down, then DynamoDB frozen, each for {@link ChaosOptions#longOutageSeconds()} while messages keep
     * arriving: before the outbox and the listener's pause, either outage moved every message it touched to the
     * dead-letter queue.
     */
    private void runLongOutages() {
        int seconds = options.longOutageSeconds();
        Duration length = options.scaled(seconds);
        EventBridgeEmulator eventBridge = stack.eventBridge();
        long storedBefore = service.read().get(ServiceCounters.Count.STORED);
        long droppedBefore = eventBridge.droppedRequests();
        eventBridge.down(true);
        step(seconds, "EventBridge down for %d s".formatted(seconds));
        eventBridge.down(false);
        long stored = service.read().get(ServiceCounters.Count.STORED) - storedBefore;
        long dropped = eventBridge.droppedRequests() - droppedBefore;

        Bench.log("chaos: dynalite paused (SIGSTOP) for %d s".formatted(seconds));
        stack.pauseDynamoDb();
        long frozenAt = System.nanoTime();
        long pausedAt = -1;
        long deliveredOnceSettled = -1;
        long deliveredAtTheEnd = -1;
        while (System.nanoTime() - frozenAt < length.toNanos()) {
            Bench.sleep(Duration.ofSeconds(1));
            boolean paused = service.read().get(ServiceCounters.Count.LISTENER_PAUSED) == 1;
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
        longOutagesDone = new ChaosEffects.LongOutages(
                true,
                length,
                stored,
                dropped,
                pausedAt >= 0,
                deliveredOnceSettled < 0 ? 0 : deliveredAtTheEnd - deliveredOnceSettled);
        Bench.log("chaos: " + longOutagesDone);
    }

    /** The PutItem calls the service counted as failed that were not answered with a failed condition. */
    private long putItemTimeouts() {
        return service.read().get(ServiceCounters.Count.PUT_ITEM_ERRORS) - stack.conditionFailedPutItems();
    }

    private void step(int seconds, String what) {
        Bench.log("chaos: " + what
                + (options.faultScale() == 1 ? "" : " (scaled to %.1f s)".formatted(seconds * options.faultScale())));
        Bench.sleep(options.scaled(seconds));
        EventBridgeEmulator eventBridge = stack.eventBridge();
        Bench.log("chaos: so far %d deliveries, %d PutEvents entries of which %d throttled"
                .formatted(stack.delivered(), eventBridge.putEventsEntries(), eventBridge.throttledEntries()));
    }

    int putItemsWaitingWhileFrozen() {
        return putItemsWaitingWhileFrozen;
    }

    long putItemTimeoutsWhileFrozen() {
        return putItemTimeoutsWhileFrozen;
    }

    ChaosEffects.LongOutages longOutagesDone() {
        return longOutagesDone;
    }
}
