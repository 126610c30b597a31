package com.kahula.eventpersister.toolkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.kahula.eventpersister.EventPersisterApplication;
import com.kahula.eventpersister.store.EventTable;
import com.kahula.eventpersister.support.EndToEndTest;
import com.kahula.eventpersister.support.EventOracle;
import com.kahula.eventpersister.support.SampleEvents;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The toolkit's commands against the service on the embedded stack: an archive written as Firehose writes it
 * (GZIP NDJSON under hourly partitions) restored into an emptied table, a killed restore resumed, a saga read and
 * replayed.
 */
class ToolkitIT extends EndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HOUR_9 = "events/year=2026/month=11/day=27/hour=09/";

    private static S3Client s3;
    private static SqsClient sqs;
    private static DynamoDbClient dynamoDb;
    private static EventBridgeClient eventBridge;

    @BeforeAll
    static void clients() {
        // the commands take the SDK's default credentials chain, as on ECS; the stack accepts any
        System.setProperty("aws.accessKeyId", "test");
        System.setProperty("aws.secretAccessKey", "test");
        s3 = STACK.configure(S3Client.builder()).forcePathStyle(true).build();
        sqs = STACK.configure(SqsClient.builder()).build();
        dynamoDb = STACK.configure(DynamoDbClient.builder()).build();
        eventBridge = STACK.configure(EventBridgeClient.builder()).build();
    }

    @AfterAll
    static void close() {
        s3.close();
        sqs.close();
        dynamoDb.close();
        eventBridge.close();
    }

    @Test
    void restoresAnEmptiedTableFromTheArchiveOnceWithTheSameHashesAndASecondRestoreStoresNothingNew(
            @TempDir Path work) {
        String bucket = bucket();
        Map<String, String> hashes = new HashMap<>();
        // 20,000 envelopes, a fifth of them *UpdatedEvent (a follow-up rule matches them), in 20 objects over 4 hours
        for (int object = 0; object < 20; object++) {
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                ObjectNode detail = SampleEvents.detail(i % 5 == 0 ? "catalog" : "pricing");
                String envelope = SampleEvents.envelope(
                        i % 5 == 0 ? "com.kahula.catalog.ProductUpdatedEvent" : "com.kahula.pricing.PriceChangedEvent",
                        detail);
                // stored under the producer id it was written with, with the hash an independent oracle computes
                hashes.put(detail.get("id").asText(), EventOracle.payloadHash(detail.toString()));
                lines.add(envelope);
            }
            if (object == 7) {
                lines.add(500, "{\"truncated\":");
            }
            archive(
                    bucket,
                    "events/year=2026/month=11/day=27/hour=%02d/kahula-events-archive-e2e-1-%02d.gz"
                            .formatted(9 + object / 5, object),
                    lines);
        }
        AWS.deleteTable();
        AWS.createTable();
        awaitQuiet();
        String[] restore = {
            "restore",
            "--from",
            "s3://" + bucket + "/events/",
            "--since",
            "2026-11-27T09:00:00Z",
            "--until",
            "2026-11-27T13:00:00Z",
            "--checkpoint",
            work.resolve("first").toString()
        };

        ToolkitTests.Run first = run(restore);

        assertThat(first.code()).as(first.err()).isZero();
        assertThat(first.out())
                .contains("objects 20/20, envelopes 20000, sent 20000, skipped 1")
                .contains("skipped events/year=2026/month=11/day=27/hour=10/kahula-events-archive-e2e-1-07.gz line 501:"
                        + " not JSON");
        // other tests' redeliveries may land in the emptied table too: the checks look at this archive's events
        await().atMost(Duration.ofMinutes(8)).until(() -> storedRows().keySet().containsAll(hashes.keySet()));
        awaitQuiet();
        Map<String, Map<String, String>> afterFirst = storedRows();
        assertThat(hashes)
                .allSatisfy((id, hash) -> assertThat(afterFirst.get(id))
                        .as("%s stored once, with the hash of its archived line", id)
                        .containsEntry("payload_hash", hash)
                        .doesNotContainKey("follow_up_status"));
        assertThat(afterFirst)
                .as("no follow-up stored: restored events fire no rule")
                .doesNotContainKeys(hashes.keySet().stream()
                        .map(id -> EventOracle.followUpId(id, "ValidatableEvent"))
                        .toArray(String[]::new));
        double stored = events("stored");
        double duplicates = events("duplicate");

        restore[restore.length - 1] = work.resolve("second").toString();
        ToolkitTests.Run second = run(restore);

        assertThat(second.code()).as(second.err()).isZero();
        await().atMost(Duration.ofMinutes(8)).until(() -> events("duplicate") - duplicates >= 20_000);
        awaitQuiet();
        assertThat(events("stored") - stored).as("nothing new stored").isZero();
        Map<String, Map<String, String>> afterSecond = storedRows();
        assertThat(hashes.keySet())
                .allSatisfy(id -> assertThat(afterSecond.get(id)).isEqualTo(afterFirst.get(id)));
        assertThat(deadLettersOf(hashes.keySet())).isEmpty();
    }

    @Test
    void resumesAKilledRestoreWithoutResendingFinishedObjects(@TempDir Path work) throws Exception {
        String bucket = bucket();
        Map<String, String> objectOf = new HashMap<>();
        for (int object = 0; object < 30; object++) {
            String key = HOUR_9 + "part-%02d.gz".formatted(object);
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                String envelope =
                        SampleEvents.envelope("com.kahula.pricing.PriceChangedEvent", SampleEvents.detail("pricing"));
                objectOf.put(JSON.readTree(envelope).get("id").asText(), key);
                lines.add(envelope);
            }
            archive(bucket, key, lines);
        }
        // a queue no service reads: every message sent stays there to be counted
        String probe = "restore-probe-" + UUID.randomUUID().toString().substring(0, 8);
        String probeUrl = sqs.createQueue(request -> request.queueName(probe)).queueUrl();
        Path checkpoint = work.resolve("restore.checkpoint");
        List<String> arguments = List.of(
                "restore",
                "--from",
                "s3://" + bucket + "/events/",
                "--since",
                "2026-11-27T09:00:00Z",
                "--until",
                "2026-11-27T10:00:00Z",
                "--queue",
                probe,
                "--checkpoint",
                checkpoint.toString(),
                "--region",
                "us-east-1",
                "--endpoint-url",
                STACK.endpoint().toString());

        Process killed = javaProcess(arguments, "--max-rate", "50", work.resolve("killed.log"));
        try {
            await().atMost(Duration.ofMinutes(2))
                    .until(() -> lastFinished(checkpoint).compareTo(HOUR_9 + "part-05.gz") >= 0);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            killed.destroyForcibly();
            throw new AssertionError(
                    "the restore to kill never finished part-05:\n" + Files.readString(work.resolve("killed.log")), e);
        }
        killed.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        String lastFinished = lastFinished(checkpoint);
        assertThat(lastFinished).as("killed before the end").isLessThan(HOUR_9 + "part-29.gz");
        List<String> resume = new ArrayList<>(arguments);
        resume.add("--resume");
        ToolkitTests.Run resumed = run(resume.toArray(String[]::new));

        assertThat(resumed.code()).as(resumed.err()).isZero();
        assertThat(resumed.out()).contains("resuming after " + lastFinished);
        Map<String, Integer> copies = new HashMap<>();
        for (Message message : drain(probeUrl)) {
            copies.merge(JSON.readTree(message.body()).get("id").asText(), 1, Integer::sum);
            assertThat(message.messageAttributes().get("persister-restore").stringValue())
                    .isEqualTo("without-follow-ups");
        }
        assertThat(copies).as("every envelope arrived").hasSize(600);
        objectOf.forEach((id, key) -> {
            if (key.compareTo(lastFinished) <= 0) {
                assertThat(copies.get(id))
                        .as("%s of finished %s sent once", id, key)
                        .isEqualTo(1);
            }
        });
        assertThat(resumed.out())
                .contains("sent "
                        + 20
                                * objectOf.values().stream()
                                        .distinct()
                                        .filter(key -> key.compareTo(lastFinished) > 0)
                                        .count());
    }

    @Test
    void readsASagaInTimeOrderPageByPageAndReplaysItAsDuplicatesInTimeOrder() throws IOException {
        String saga = UUID.randomUUID().toString();
        List<String> names =
                List.of("ProductCreatedEvent", "ProductUpdatedEvent", "PriceChangedEvent", "OrderPlacedEvent");
        List<software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry> entries = new ArrayList<>();
        for (int i = names.size() - 1; i >= 0; i--) {
            ObjectNode detail = SampleEvents.detail("catalog").put("sagaId", saga);
            detail.put("timestamp", "2026-11-27T10:00:0%d.000Z".formatted(i));
            entries.add(SampleEvents.entry("com.kahula.catalog." + names.get(i), detail));
        }
        AWS.publish(entries);
        // four events and the follow-up of the ProductUpdatedEvent, which carries the saga too
        await().atMost(Duration.ofSeconds(30))
                .until(() -> sagaItems(saga).size() == 5
                        && sagaItems(saga).stream()
                                .noneMatch(item -> "PENDING".equals(column(item, "follow_up_status"))));
        awaitQuiet();
        List<Map<String, AttributeValue>> before = sagaItems(saga);

        ToolkitTests.Run table = run("saga", saga, "--page-size", "2");
        ToolkitTests.Run firstTwo = run("saga", saga, "--format", "ndjson", "--limit", "2");
        String token = firstTwo.err().replaceAll("(?s).*--starting-token (\\S+).*", "$1");
        ToolkitTests.Run rest = run("saga", saga, "--format", "ndjson", "--starting-token", token);

        assertThat(table.code()).isZero();
        assertThat(table.out().lines().skip(1).limit(5).map(line -> line.split("\\s+")[1]))
                .as("oldest first; the follow-up has the time it was emitted")
                .containsExactly(
                        "ProductCreatedEvent",
                        "ProductUpdatedEvent",
                        "PriceChangedEvent",
                        "OrderPlacedEvent",
                        "ValidatableEvent");
        assertThat(table.out()).contains("5 events");
        List<String> ndjson = new ArrayList<>(firstTwo.out().lines().toList());
        ndjson.addAll(rest.out().lines().toList());
        assertThat(ndjson).hasSize(5);
        assertThat(ndjson.stream().map(line -> readTree(line).get("timestamp").asText()))
                .isSorted()
                .doesNotHaveDuplicates();

        String probeUrl = subscribeProbe("{\"detail\":{\"persister-replay\":[\"fix-1\"]}}");
        double duplicates = events("duplicate");
        List<String> ids =
                before.stream().map(item -> item.get("unique_id").s()).toList();
        long followUpsOnTheBus = emittedFollowUps(ids);

        ToolkitTests.Run replay = run("replay", "--saga", saga, "--name", "fix-1");

        assertThat(replay.code()).as(replay.err()).isZero();
        assertThat(replay.out()).contains("replay fix-1: events 5, published 5, skipped 0");
        List<Message> arrived = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            arrived.addAll(drain(probeUrl));
            return arrived.size() >= 5;
        });
        assertThat(arrived.stream()
                        .map(message -> readTree(message.body())
                                .get("detail")
                                .get("timestamp")
                                .asText()))
                .as("the bus delivers the saga in time order")
                .isSorted()
                .hasSize(5);
        // other tests' redeliveries may count too: what this saga's replay did is in its rows
        await().atMost(Duration.ofSeconds(60)).until(() -> events("duplicate") - duplicates >= 5);
        awaitQuiet();
        assertThat(sagaItems(saga)).as("the table unchanged").isEqualTo(before);
        assertThat(deadLettersOf(List.of(saga))).as("nothing parked").isEmpty();
        assertThat(emittedFollowUps(ids)).as("no follow-up emitted again").isEqualTo(followUpsOnTheBus);
    }

    static ToolkitTests.Run run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        if (!all.contains("--endpoint-url")) {
            all.addAll(List.of(
                    "--env",
                    "e2e",
                    "--region",
                    "us-east-1",
                    "--endpoint-url",
                    STACK.endpoint().toString()));
        }
        return ToolkitTests.run(all.toArray(String[]::new));
    }

    private static Process javaProcess(List<String> arguments, String option, String value, Path log)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Daws.accessKeyId=test",
                "-Daws.secretAccessKey=test",
                "-cp",
                System.getProperty("java.class.path"),
                EventPersisterApplication.class.getName()));
        command.addAll(arguments);
        command.addAll(List.of(option, value));
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    /** The follow-ups the service emitted for these events: on the bus with their causation, not replayed copies. */
    private static long emittedFollowUps(List<String> ids) {
        return ids.stream()
                .flatMap(id -> AWS.followUpsOf(id).stream())
                .filter(event -> !event.detail().has("persister-replay"))
                .count();
    }

    /** The checkpoint's last finished key, or "" while there is none. */
    private static String lastFinished(Path checkpoint) throws IOException {
        if (!Files.exists(checkpoint)) {
            return "";
        }
        Properties saved = new Properties();
        try (var reader = Files.newBufferedReader(checkpoint)) {
            saved.load(reader);
        }
        return saved.getProperty("last-finished-key", "");
    }

    /** The dead letters that hold any of {@code ids}: the fixture returns every test's. */
    private static List<String> deadLettersOf(java.util.Collection<String> ids) {
        return AWS.deadLetters().stream()
                .map(com.kahula.eventpersister.support.AwsFixture.DeadLetter::body)
                .filter(body -> ids.stream().anyMatch(body::contains))
                .toList();
    }

    private String subscribeProbe(String pattern) {
        String name = "replay-probe-" + UUID.randomUUID().toString().substring(0, 8);
        String url = sqs.createQueue(request -> request.queueName(name)).queueUrl();
        String arn = "arn:aws:sqs:us-east-1:000000000000:" + name;
        eventBridge.putRule(
                request -> request.name(name).eventBusName(AWS.busName()).eventPattern(pattern));
        eventBridge.putTargets(request -> request.rule(name)
                .eventBusName(AWS.busName())
                .targets(target -> target.id("probe").arn(arn)));
        return url;
    }

    private static List<Message> drain(String url) {
        List<Message> all = new ArrayList<>();
        List<Message> received;
        do {
            received = sqs.receiveMessage(request ->
                            request.queueUrl(url).maxNumberOfMessages(10).messageAttributeNames("All"))
                    .messages();
            all.addAll(received);
            for (Message message : received) {
                sqs.deleteMessage(request -> request.queueUrl(url).receiptHandle(message.receiptHandle()));
            }
        } while (!received.isEmpty());
        return all;
    }

    /** The saga's items, whole, by unique id: read apart from the saga index, which the command under test reads. */
    private List<Map<String, AttributeValue>> sagaItems(String saga) {
        return dynamoDb
                .scanPaginator(request -> request.tableName(AWS.tableName())
                        .consistentRead(true)
                        .filterExpression("saga_id = :saga")
                        .expressionAttributeValues(Map.of(":saga", AttributeValue.fromS(saga))))
                .items()
                .stream()
                .sorted(Comparator.comparing(
                        item -> item.get(EventTable.UNIQUE_ID).s()))
                .toList();
    }

    /** Every row's unique id -> its payload hash, received time and follow-up state (where it has one). */
    private Map<String, Map<String, String>> storedRows() {
        Map<String, Map<String, String>> rows = new HashMap<>();
        dynamoDb.scanPaginator(request -> request.tableName(AWS.tableName())
                        .projectionExpression("unique_id, payload_hash, received_at, follow_up_status"))
                .items()
                .forEach(item -> {
                    Map<String, String> columns = new HashMap<>();
                    item.forEach((name, value) -> columns.put(name, value.s()));
                    rows.put(item.get("unique_id").s(), columns);
                });
        return rows;
    }

    private static String column(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? "" : value.s();
    }

    private static String bucket() {
        String bucket = "archive-" + UUID.randomUUID().toString().substring(0, 8);
        s3.createBucket(request -> request.bucket(bucket));
        return bucket;
    }

    /** Writes an object as Firehose does: the envelopes one a line, GZIP. */
    static void archive(String bucket, String key, List<String> lines) {
        ByteArrayOutputStream gzipped = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(gzipped)) {
            for (String line : lines) {
                gzip.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        s3.putObject(request -> request.bucket(bucket).key(key), RequestBody.fromBytes(gzipped.toByteArray()));
    }

    private static JsonNode readTree(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
