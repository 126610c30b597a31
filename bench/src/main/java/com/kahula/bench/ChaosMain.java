package com.kahula.bench;

import com.kahula.embeddedaws.EmbeddedAwsStack;
import com.kahula.eventpersister.store.EventTable;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * The chaos soak: events through the service as it ships (the packaged jar, a process of its own, default settings)
 * while it is killed with SIGKILL mid-batch and restarted, DynamoDB is frozen, and EventBridge throttles, fails and goes
 * away; then a ledger written before the start holds the table and the dead-letter queue. Run it with
 * {@code bench/chaos.sh}; {@code ChaosIT} runs a short one in {@code ./mvnw verify}.
 */
public final class ChaosMain {

    private static final String ENV = "chaos";
    private static final Duration READY_WITHIN = Duration.ofSeconds(120);
    // the listener's default persister.listener.max-concurrent-messages: what one kill can catch in flight
    private static final int IN_FLIGHT = 100;

    private final int events;
    private final int kills;
    private final double faultScale;
    private final Path jar;
    private final Path logs;
    private final Random random = new Random(23);

    private EmbeddedAwsStack stack;
    private SqsClient sqs;
    private DynamoDbClient dynamoDb;
    private Process service;
    private int servicePort;
    private int serviceStarts;
    private ServiceCounters counted = ServiceCounters.none();

    private ChaosMain(int events, int kills, double faultScale, Path jar, Path logs) {
        this.events = events;
        this.kills = kills;
        this.faultScale = faultScale;
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
                "--jar",
                "target/event-persister-0.1.0-SNAPSHOT.jar"));
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        ChaosLedger.Verdict verdict = run(
                Integer.parseInt(options.get("--events")),
                Integer.parseInt(options.get("--kills")),
                Double.parseDouble(options.get("--fault-scale")),
                Path.of(options.get("--jar")),
                Path.of("target/chaos"));
        System.exit(verdict.clean() ? 0 : 1);
    }

    /**
     * Runs a soak of {@code events} messages with {@code kills} kills, each fault lasting {@code faultScale} times its
     * full length; the verdict says what the ledger found.
     */
    static ChaosLedger.Verdict run(int events, int kills, double faultScale, Path jar, Path logs) throws Exception {
        Files.createDirectories(logs);
        return new ChaosMain(events, kills, faultScale, jar, logs).soak();
    }

    private ChaosLedger.Verdict soak() throws Exception {
        long started = System.nanoTime();
        BenchMessages.Batch batch = BenchMessages.generate(events, 17);
        List<ChaosLedger.Poison> poison = poison(Math.max(2, events / 1000));
        ChaosLedger ledger = new ChaosLedger(batch.bodies(), poison);
        List<String> bodies = new ArrayList<>(batch.bodies());
        poison.forEach(injected -> bodies.add(random.nextInt(bodies.size()), injected.body()));
        Bench.log("chaos: %d messages (%d distinct events, %d follow-ups expected, %d exact duplicates, %d poison),"
                        .formatted(
                                bodies.size(),
                                ledger.distinctEvents(),
                                ledger.followUps(),
                                batch.bodies().size() - ledger.distinctEvents(),
                                poison.size())
                + " %d kills".formatted(kills));
        try (EmbeddedAwsStack running = EmbeddedAwsStack.start(0)) {
            stack = running;
            sqs = stack.configure(SqsClient.builder()).build();
            dynamoDb = stack.configure(DynamoDbClient.builder()).build();
            startService();
            String queueUrl = sqs.getQueueUrl(r -> r.queueName("kahula-event-persister-" + ENV))
                    .queueUrl();
            Thread producer = Thread.ofPlatform().name("chaos-producer").start(() -> send(queueUrl, bodies));
            faults(producer);
            producer.join();
            awaitDrained(queueUrl);
            counted = counted.plus(ServiceCounters.read(servicePort));
            ChaosLedger.Verdict verdict = ledger.check(table(), deadLetters(), counted, (long) kills * IN_FLIGHT);
            Bench.log("chaos: %d service starts, %.0f s; %s; %s"
                    .formatted(
                            serviceStarts,
                            (System.nanoTime() - started) / 1e9,
                            verdict,
                            verdict.clean() ? "CLEAN" : "NOT CLEAN"));
            return verdict;
        } finally {
            if (service != null) {
                service.destroy();
                service.waitFor(30, TimeUnit.SECONDS);
            }
            if (sqs != null) {
                sqs.close();
                dynamoDb.close();
            }
        }
    }

    /**
     * The fault schedule, spread over the run: the kills at even intervals, DynamoDB frozen for 20 s, EventBridge
     * throttling 30 % of entries throughout, answering 500 for 10 s and down for 30 s; all over before the drain.
     */
    private void faults(Thread producer) throws Exception {
        var eventBridge = stack.eventBridge();
        eventBridge.throttleEntries(0.3);
        step(5, "EventBridge throttles 30 % of entries");
        kill();
        stack.pauseDynamoDb();
        step(20, "dynalite paused (SIGSTOP) for 20 s");
        stack.resumeDynamoDb();
        for (int k = 1; k < kills; k++) {
            step(5, "running");
            kill();
        }
        eventBridge.failRequests(500);
        step(10, "EventBridge answers 500 for 10 s");
        eventBridge.clearFaults();
        eventBridge.throttleEntries(0.3);
        eventBridge.down(true);
        step(30, "EventBridge down for 30 s");
        eventBridge.down(false);
        producer.join();
        eventBridge.clearFaults();
        Bench.log("chaos: faults over, draining");
    }

    private void step(int seconds, String what) {
        Bench.log("chaos: " + what + (faultScale == 1 ? "" : " (scaled to %.1f s)".formatted(seconds * faultScale)));
        Bench.sleep(Duration.ofMillis((long) (seconds * 1000 * faultScale)));
    }

    private void kill() throws Exception {
        Bench.log("chaos: SIGKILL the service mid-batch, then start it again");
        // Its counters die with it: read them first. With the store frozen no write completes between the reading and
        // the kill; what the killed process sent before then, and dynalite writes once thawed, is at most what was in
        // flight.
        stack.pauseDynamoDb();
        try {
            counted = counted.plus(ServiceCounters.read(servicePort));
            service.destroyForcibly();
        } finally {
            stack.resumeDynamoDb();
        }
        service.waitFor(30, TimeUnit.SECONDS);
        startService();
    }

    private void startService() throws Exception {
        int port = Bench.freePort();
        servicePort = port;
        serviceStarts++;
        Path log = logs.resolve("service-" + serviceStarts + ".log");
        service = new ProcessBuilder(List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx256m",
                        "-jar",
                        jar.toAbsolutePath().toString(),
                        "--spring.profiles.active=local",
                        "--spring.cloud.aws.endpoint=" + stack.endpoint(),
                        "--persister.env=" + ENV,
                        "--server.port=" + port))
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

    private void send(String queueUrl, List<String> bodies) {
        for (int from = 0; from < bodies.size(); from += 10) {
            List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
            for (int i = from; i < Math.min(from + 10, bodies.size()); i++) {
                entries.add(SendMessageBatchRequestEntry.builder()
                        .id(Integer.toString(i - from))
                        .messageBody(bodies.get(i))
                        .build());
            }
            var response = sqs.sendMessageBatch(r -> r.queueUrl(queueUrl).entries(entries));
            if (!response.failed().isEmpty()) {
                throw new IllegalStateException("the queue refused messages: " + response.failed());
            }
        }
        Bench.log("chaos: all %d messages sent".formatted(bodies.size()));
    }

    /** Until the queue holds nothing, visible or in flight, for 10 s in a row (redeliveries come after 60 s). */
    private void awaitDrained(String queueUrl) {
        long quietSince = System.nanoTime();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(15);
        while (System.nanoTime() - quietSince < TimeUnit.SECONDS.toNanos(10)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the queue did not drain within 15 minutes");
            }
            Map<QueueAttributeName, String> depth = sqs.getQueueAttributes(r -> r.queueUrl(queueUrl)
                            .attributeNames(
                                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                    .attributes();
            if (!"0".equals(depth.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                    || !"0".equals(depth.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))) {
                quietSince = System.nanoTime();
            }
            Bench.sleep(Duration.ofSeconds(1));
        }
    }

    private Map<String, Map<String, AttributeValue>> table() {
        Map<String, Map<String, AttributeValue>> items = new HashMap<>();
        dynamoDb.scanPaginator(r -> r.tableName("kahula-events-" + ENV))
                .items()
                .forEach(item -> items.put(item.get(EventTable.UNIQUE_ID).s(), item));
        return items;
    }

    private List<Map.Entry<String, String>> deadLetters() {
        String url = sqs.getQueueUrl(r -> r.queueName("kahula-event-persister-" + ENV + "-dlq"))
                .queueUrl();
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
            poison.add(
                    i % 2 == 0
                            ? new ChaosLedger.Poison("not json " + token, "not-json")
                            : new ChaosLedger.Poison(
                                    ("{\"version\":\"0\",\"id\":\"%s\",\"detail-type\":\"com.kahula.chaos.PoisonEvent\","
                                                    + "\"source\":\"kahula.chaos\",\"time\":\"2026-11-27T10:00:00Z\","
                                                    + "\"detail\":{\"id\":\"%s\"}}")
                                            .formatted(token, token + "x".repeat(3000)),
                                    "store-rejected"));
        }
        return poison;
    }
}
