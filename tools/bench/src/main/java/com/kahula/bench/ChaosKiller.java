package com.kahula.bench;

import com.kahula.embeddedaws.EmbeddedAwsStack;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;

/** The chaos soak's kills: each aimed at work in flight, the stack held still, the process read, killed, restarted. */
final class ChaosKiller {

    private static final Duration AIM_WITHIN = Duration.ofSeconds(90);
    private static final Duration SETTLE = Duration.ofMillis(300);
    private static final int SETTLE_READINGS = 30;
    // more marks than the service writes at a time: some of them wait in its queue
    private static final int MARKS_TO_CATCH = 10;
    // a call the process sent just before it died may reach the gateway a moment later
    private static final Duration WATCHED_AFTER_DEATH = Duration.ofMillis(500);
    private static final Duration WATCH_EVERY = Duration.ofMillis(50);

    private final int kills;
    private final EmbeddedAwsStack stack;
    private final ChaosService service;
    private final ChaosProducer producer;
    private final List<ChaosEffects.Kill> done = new ArrayList<>();
    private final Set<String> followUpsHeardByKilledProcesses = new HashSet<>();
    private ServiceCounters counted = ServiceCounters.none();
    private long putItemsInFlightAtKills;

    ChaosKiller(int kills, EmbeddedAwsStack stack, ChaosService service, ChaosProducer producer) {
        this.kills = kills;
        this.stack = stack;
        this.service = service;
        this.producer = producer;
    }

    /** The {@code k}th kill, when the soak has that many, aimed at the aims in turn. */
    void killIfPlanned(int k) throws Exception {
        if (k < kills) {
            done.add(kill(ChaosAim.values()[k % ChaosAim.values().length]));
        }
    }

    /**
     * Waits for the work the kill is aimed at, then holds back every AWS answer (dynalite frozen, SQS requests and
     * PutEvents answers held at the gateway, the producer paused) until the service's counts stand still, reads them,
     * and kills it with SIGKILL. Whatever the process held then is measured; its held requests are dropped, as its
     * connections died with it, and it starts again.
     */
    private ChaosEffects.Kill kill(ChaosAim aim) throws Exception {
        Bench.log("chaos: aiming a SIGKILL at " + aim.what());
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
                    case MARKS_QUEUED -> () -> service.read().get(ServiceCounters.Count.MARKS_QUEUED) >= MARKS_TO_CATCH;
                });
        stack.pauseDynamoDb();
        stack.sqsGate().hold();
        stack.putEventsAnswerGate().hold();
        producer.pause();
        ServiceCounters reading = settled();
        counted = counted.plus(reading);
        service.kill();
        ChaosEffects.Kill kill = new ChaosEffects.Kill(
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
        service.start();
        producer.resume();
        return kill;
    }

    /**
     * The PutItem calls at the gateway, held by the frozen dynalite, after the process died: the most seen over
     * {@link #WATCHED_AFTER_DEATH}.
     */
    private int putItemsInFlightAfterDeath() {
        int most = stack.putItemsInFlight();
        for (long look = 0; look < WATCHED_AFTER_DEATH.dividedBy(WATCH_EVERY); look++) {
            Bench.sleep(WATCH_EVERY);
            most = Math.max(most, stack.putItemsInFlight());
        }
        return most;
    }

    private long heldAcceptedEntries() {
        return stack.heldAcceptedEntries().values().stream()
                .mapToLong(Long::longValue)
                .sum();
    }

    private void awaitAim(ChaosAim aim, BooleanSupplier reached) {
        long deadline = System.nanoTime() + AIM_WITHIN.toNanos();
        while (!reached.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "no " + aim.what() + " within " + AIM_WITHIN + ": the kill cannot be aimed");
            }
            Bench.sleep(Duration.ofMillis(20));
        }
    }

    /** Reads the service's counts until two readings, {@link #SETTLE} apart, agree: nothing completes any more. */
    private ServiceCounters settled() throws Exception {
        ServiceCounters reading = service.counters();
        for (int tries = 0; tries < SETTLE_READINGS; tries++) {
            Bench.sleep(SETTLE);
            ServiceCounters next = service.counters();
            if (next.sameCounts(reading)) {
                return next;
            }
            reading = next;
        }
        throw new IllegalStateException("the service's counts still moved with every AWS answer held back");
    }

    /** The kills as they happened. */
    List<ChaosEffects.Kill> done() {
        return List.copyOf(done);
    }

    /** The counts of every killed process, each read just before its kill. */
    ServiceCounters countedByKilledProcesses() {
        return counted;
    }

    long putItemsInFlightAtKills() {
        return putItemsInFlightAtKills;
    }

    Set<String> followUpsHeardByKilledProcesses() {
        return Set.copyOf(followUpsHeardByKilledProcesses);
    }
}
