package com.kahula.bench;

import com.kahula.embeddedaws.EmbeddedAwsStack;
import com.kahula.embeddedaws.EventBridgeEmulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The chaos soak: events through the service as it ships (the packaged jar, a process of its own, default settings
 * but for the circuit breaker's open time, scaled with the faults) while it is killed with SIGKILL and restarted, each
 * kill aimed at work it catches in flight (writes at DynamoDB, follow-ups on the bus whose answer has not come, EMITTED
 * marks queued), DynamoDB is frozen, SQS drops its connections, and EventBridge throttles, fails and goes away; then a
 * ledger written before the start holds the table, the dead-letter queue and the service's counters. Every fault's
 * effect is measured and returned with the verdict. Run it with {@code bench/chaos.sh}; {@code ChaosIT} runs a short
 * one in {@code ./mvnw verify}.
 */
public final class ChaosMain {

    /** The ledger's verdict and the faults' effects. */
    record Run(ChaosLedgerVerdict verdict, ChaosEffects effects) {

        /** What is wrong with the run: the ledger's failures, a fault without effect, a marks kill that left none. */
        List<String> failures() {
            List<String> failures = new ArrayList<>(verdict.failures());
            failures.addAll(effects.missing());
            boolean marksKilled = effects.kills().stream().anyMatch(kill -> kill.aim() == ChaosAim.MARKS_QUEUED);
            if (marksKilled && verdict.unmarkedFollowUps() == 0 && verdict.sentAgainAfterKills() == 0) {
                failures.add("the kill aimed at EMITTED marks left no item PENDING and no follow-up sent again");
            }
            return failures;
        }

        boolean clean() {
            return failures().isEmpty();
        }
    }

    private final ChaosOptions options;

    private ChaosMain(ChaosOptions options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        Run run = run(ChaosOptions.parse(args));
        System.exit(run.clean() ? 0 : 1);
    }

    /**
     * Runs a soak of {@code events} messages with {@code kills} kills, each fault lasting {@code faultScale} times its
     * full length, and with {@code longOutages} the long bus and store outages after the others: the ledger's verdict
     * and what each fault did.
     */
    static Run run(int events, int kills, double faultScale, boolean longOutages, Path jar, Path logs)
            throws Exception {
        return run(new ChaosOptions(events, kills, faultScale, longOutages, jar, logs));
    }

    private static Run run(ChaosOptions options) throws Exception {
        Files.createDirectories(options.logs());
        return new ChaosMain(options).soak();
    }

    private Run soak() throws Exception {
        Instant started = Instant.now();
        List<BenchMessages.Sent> sent = BenchMessages.chaos(options.events(), 17);
        List<ChaosLedger.Poison> poison = ChaosProducer.poison(Math.max(2, options.events() / 1000));
        ChaosLedger ledger = new ChaosLedger(sent, poison);
        ChaosProducer producer = new ChaosProducer(sent, poison);
        Bench.log(("chaos: %d messages (%d distinct events, %d follow-ups expected of which %d IndexableEvent,"
                        + " %d exact duplicates, %d poison), %d kills")
                .formatted(
                        producer.messages(),
                        ledger.distinctEvents(),
                        ledger.followUps(),
                        ledger.followUps("IndexableEvent"),
                        ledger.injectedDuplicates(),
                        poison.size(),
                        options.kills()));
        Bench.log("chaos: " + options.derived());
        try (EmbeddedAwsStack stack = EmbeddedAwsStack.start(0);
                // the soak's own calls go to the emulators directly, past the gateway's faults and its delivery count
                SqsClient sqs = SqsClient.builder()
                        .endpointOverride(stack.sqsEndpoint())
                        .region(Region.of(EmbeddedAwsStack.REGION))
                        .credentialsProvider(EmbeddedAwsStack.credentials())
                        .build();
                DynamoDbClient dynamoDb = DynamoDbClient.builder()
                        .endpointOverride(stack.dynamoDbEndpoint())
                        .region(Region.of(EmbeddedAwsStack.REGION))
                        .credentialsProvider(EmbeddedAwsStack.credentials())
                        .build()) {
            ChaosService service = new ChaosService(options, stack);
            try {
                return soakOn(started, ledger, producer, stack, sqs, dynamoDb, service);
            } finally {
                service.stop();
            }
        }
    }

    private Run soakOn(
            Instant started,
            ChaosLedger ledger,
            ChaosProducer producer,
            EmbeddedAwsStack stack,
            SqsClient sqs,
            DynamoDbClient dynamoDb,
            ChaosService service)
            throws Exception {
        stack.recordDeliveries(ChaosOptions.QUEUE);
        service.start();
        String queueUrl = sqs.getQueueUrl(r -> r.queueName(ChaosOptions.QUEUE)).queueUrl();
        Thread sending = producer.start(sqs, queueUrl, options.scaled(options.plannedSeconds()));
        ChaosKiller killer = new ChaosKiller(options.kills(), stack, service, producer);
        ChaosFaults faults = new ChaosFaults(options, stack, service, killer);
        faults.run();
        sending.join();
        ChaosReadings readings = new ChaosReadings(stack, sqs, dynamoDb);
        readings.awaitDrained(queueUrl);
        ServiceCounters counted = killer.countedByKilledProcesses().plus(service.counters());
        Instant ended = Instant.now();
        EventBridgeEmulator eventBridge = stack.eventBridge();
        ChaosLedger.Measured measured = readings.measured(producer, counted, killer);
        ChaosLedgerVerdict verdict =
                ledger.check(readings.table(), readings.deadLetters(), counted, measured, started, ended);
        ChaosEffects effects = new ChaosEffects(
                killer.done(),
                faults.putItemsWaitingWhileFrozen(),
                faults.putItemTimeoutsWhileFrozen(),
                eventBridge.putEventsEntries(),
                eventBridge.throttledEntries(),
                eventBridge.failedRequests(),
                eventBridge.droppedRequests(),
                stack.droppedSqsRequests(),
                ledger.followUps("IndexableEvent"),
                faults.longOutagesDone());
        Bench.log("chaos: %d service starts, %.0f s; %s"
                .formatted(service.starts(), Duration.between(started, ended).toMillis() / 1e3, effects));
        Run run = new Run(verdict, effects);
        Bench.log("chaos: %s; %s".formatted(verdict, run.clean() ? "CLEAN" : "NOT CLEAN: " + run.failures()));
        return run;
    }
}
