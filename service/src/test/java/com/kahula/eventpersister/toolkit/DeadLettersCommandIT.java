package com.kahula.eventpersister.toolkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.kahula.eventpersister.EventPersisterApplication;
import com.kahula.eventpersister.store.EventTable;
import com.kahula.eventpersister.support.BadInputs;
import com.kahula.eventpersister.support.EndToEndTest;
import com.kahula.eventpersister.support.EventOracle;
import com.kahula.eventpersister.support.SampleEvents;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * {@code dead-letters summary|show|redrive|export} as separate processes (as an ECS one-off task runs them, with the
 * service's environment) against the service's dead-letter queue on the embedded stack, filled by the running service
 * with every kind of message it parks, and by SQS's redrive policy with messages received too often.
 */
class DeadLettersCommandIT extends EndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String UPDATED = "com.kahula.catalog.ProductUpdatedEvent";
    /** The e2e profile's persister.listener.max-body-bytes, which the toolkit reads from the environment as ECS sets it. */
    private static final Map<String, String> SERVICE_ENVIRONMENT =
            Map.of("PERSISTER_ENV", "e2e", "PERSISTER_LISTENER_MAXBODYBYTES", "65536");

    private static SqsClient sqs;
    private static DynamoDbClient dynamoDb;

    @BeforeAll
    static void clients() {
        sqs = STACK.configure(SqsClient.builder()).build();
        dynamoDb = STACK.configure(DynamoDbClient.builder()).build();
    }

    @AfterAll
    static void close() {
        sqs.close();
        dynamoDb.close();
    }

    @BeforeEach
    void emptyDeadLetterQueue() {
        awaitQuiet();
        sqs.purgeQueue(request -> request.queueUrl(url(AWS.deadLetterQueueName())));
        await().atMost(Duration.ofSeconds(30)).until(() -> visible(AWS.deadLetterQueueName()) == 0);
    }

    @Test
    void countsShowsDifferencesAndRedrivesOnlyWhatCanNowSucceed(@TempDir Path work) throws Exception {
        Map<String, Integer> expected = new LinkedHashMap<>();
        // one message of each reason the parser and the store give
        Map<String, BadInputs.Case> oneOfEachReason = new LinkedHashMap<>();
        for (BadInputs.Case bad : BadInputs.all()) {
            if (!bad.expected().isStored()) {
                oneOfEachReason.putIfAbsent(bad.expected().detail(), bad);
            }
        }
        oneOfEachReason.forEach((reason, bad) -> {
            AWS.sendToQueue(bad.body());
            expected.merge(reason, 1, Integer::sum);
        });
        // two conflicts: one with a nested change, an array element, an added and a removed field; one to be fixed
        ObjectNode first = product();
        ObjectNode firstChanged = first.deepCopy();
        ((ObjectNode) firstChanged.get("product").get("price")).put("amount", 13.00);
        firstChanged.withArray("tags").set(1, "winter");
        firstChanged.put("size", "XL");
        firstChanged.remove("color");
        ObjectNode second = product();
        ObjectNode secondChanged = second.deepCopy().put("color", "blue");
        storeThenConflict(first, firstChanged);
        storeThenConflict(second, secondChanged);
        expected.merge("conflict", 2, Integer::sum);
        // three moved by the redrive policy: received too often before the service could store them
        List<String> exhausted = exhaustRetries(3);
        expected.put(DeadLetter.RETRIES_EXHAUSTED, 3);
        int total = expected.values().stream().mapToInt(Integer::intValue).sum();
        await().atMost(Duration.ofSeconds(60)).until(() -> visible(AWS.deadLetterQueueName()) == total);

        // summary: each reason counted exactly, the queue as it was
        Run summary = toolkit(work, "dead-letters", "summary", "--format", "ndjson");
        assertThat(summary.code()).as(summary.err()).isZero();
        Map<String, Integer> counted = summary.out()
                .lines()
                .map(DeadLettersCommandIT::readTree)
                .collect(Collectors.toMap(
                        line -> line.get("reason").asText(),
                        line -> line.get("count").asInt()));
        assertThat(counted).isEqualTo(expected);
        assertThat(visible(AWS.deadLetterQueueName()))
                .as("summary made every message visible again")
                .isEqualTo(total);

        // the second conflict fixed: its stored row replaced by the parked content, with another saga and time only
        ObjectNode fixed =
                secondChanged.deepCopy().put("sagaId", "saga-fixed").put("timestamp", "2026-12-01T00:00:00Z");
        dynamoDb.updateItem(request -> request.tableName(AWS.tableName())
                .key(Map.of(
                        EventTable.UNIQUE_ID,
                        AttributeValue.fromS(second.get("id").asText())))
                .updateExpression("SET #payload = :payload, #hash = :hash")
                .expressionAttributeNames(Map.of("#payload", EventTable.PAYLOAD, "#hash", EventTable.PAYLOAD_HASH))
                .expressionAttributeValues(Map.of(
                        ":payload", AttributeValue.fromS(fixed.toString()),
                        ":hash", AttributeValue.fromS(EventOracle.payloadHash(fixed.toString())))));

        // show: where each conflict differs from its stored row now
        Run show = toolkit(work, "dead-letters", "show", "--reason", "conflict", "--format", "ndjson");
        assertThat(show.code()).as(show.err()).isZero();
        Map<String, List<String>> differences = new HashMap<>();
        show.out().lines().map(DeadLettersCommandIT::readTree).forEach(line -> {
            List<String> paths = new ArrayList<>();
            line.get("differences")
                    .forEach(difference -> paths.add(difference.get("kind").asText() + " "
                            + difference.get("path").asText()));
            differences.put(line.get("unique_id").asText(), paths);
        });
        assertThat(differences.get(first.get("id").asText()))
                .containsExactlyInAnyOrder(
                        "changed /product/price/amount", "changed /tags/1", "added /size", "removed /color");
        assertThat(differences.get(second.get("id").asText()))
                .as("a difference only in what the hash leaves out lists nothing")
                .isEmpty();

        // redrive --dry-run: judges, changes nothing
        int rows = AWS.rowCount();
        Run dryRun = toolkit(work, "dead-letters", "redrive", "--dry-run");
        assertThat(dryRun.code()).as(dryRun.err()).isZero();
        assertThat(dryRun.out())
                .contains("%d selected: would be stored 3, duplicates 1, conflicts 1, rejected again %d"
                        .formatted(total, total - 5));
        assertThat(visible(AWS.deadLetterQueueName())).isEqualTo(total);
        assertThat(visible(AWS.queueName()) + AWS.messagesInFlight()).isZero();
        assertThat(AWS.rowCount()).isEqualTo(rows);

        // redrive: moves the fixed conflict and the three exhausted ones, which are stored once
        double storedBefore = events("stored");
        double duplicatesBefore = events("duplicate");
        Run redrive = toolkit(work, "dead-letters", "redrive");
        assertThat(redrive.code()).as(redrive.err()).isZero();
        assertThat(redrive.out()).contains("moved 4 to the source queue, left " + (total - 4));
        await().atMost(Duration.ofSeconds(60))
                .until(() -> events("stored") - storedBefore >= 3 && events("duplicate") - duplicatesBefore >= 1);
        awaitQuiet();
        assertThat(events("stored") - storedBefore).isEqualTo(3);
        assertThat(events("duplicate") - duplicatesBefore).isEqualTo(1);
        exhausted.forEach(id -> assertThat(AWS.row(id)).as(id).isPresent());
        assertThat(visible(AWS.deadLetterQueueName())).isEqualTo(total - 4);

        // export: every message left, its body and attributes
        Path file = work.resolve("dead-letters.ndjson");
        Run export = toolkit(work, "dead-letters", "export", "--to", file.toString());
        assertThat(export.code()).as(export.err()).isZero();
        List<JsonNode> exported = Files.readAllLines(file).stream()
                .map(DeadLettersCommandIT::readTree)
                .toList();
        assertThat(exported).hasSize(total - 4);
        assertThat(exported)
                .allSatisfy(line -> assertThat(line.at("/attributes/persister-error/string_value")
                                .asText())
                        .isEqualTo(line.get("reason").asText()));
        assertThat(exported.stream().map(line -> line.get("body").asText()))
                .contains(oneOfEachReason.get("not-json").body());
        assertThat(visible(AWS.deadLetterQueueName())).isEqualTo(total - 4);
    }

    @Test
    void aRedriveKilledWithSigkillAndRunAgainLosesNothingAndStoresNothingTwice(@TempDir Path work) throws Exception {
        List<String> exhausted = exhaustRetries(200);
        await().atMost(Duration.ofSeconds(60)).until(() -> visible(AWS.deadLetterQueueName()) == 200);
        double storedBefore = events("stored");

        Process killed = toolkitProcess(
                work.resolve("killed.log"), "dead-letters", "redrive", "--max-rate", "20", "--hold", "20s");
        try {
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> exhausted.stream()
                                    .filter(id -> AWS.row(id).isPresent())
                                    .count()
                            >= 40);
        } finally {
            killed.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        long storedWhenKilled =
                exhausted.stream().filter(id -> AWS.row(id).isPresent()).count();
        assertThat(storedWhenKilled).as("killed in the middle").isLessThan(200);

        // the killed run's messages come back when its hold ends; the second run moves the rest
        await().atMost(Duration.ofSeconds(60)).until(() -> notVisible(AWS.deadLetterQueueName()) == 0);
        Run again = toolkit(work, "dead-letters", "redrive");
        assertThat(again.code()).as(again.err()).isZero();

        await().atMost(Duration.ofSeconds(90))
                .until(() -> exhausted.stream().allMatch(id -> AWS.row(id).isPresent()));
        awaitQuiet();
        assertThat(events("stored") - storedBefore).as("each stored once").isEqualTo(200);
        assertThat(visible(AWS.deadLetterQueueName()) + notVisible(AWS.deadLetterQueueName()))
                .as("nothing left behind")
                .isZero();
    }

    @Test
    void aRedriveStoppedWithSigtermMakesWhatItStillHeldVisibleAgainAtOnce(@TempDir Path work) throws Exception {
        List<String> exhausted = exhaustRetries(20);
        await().atMost(Duration.ofSeconds(60)).until(() -> visible(AWS.deadLetterQueueName()) == 20);

        Process stopped = toolkitProcess(
                work.resolve("stopped.log"), "dead-letters", "redrive", "--max-rate", "1", "--hold", "10m");
        try {
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> exhausted.stream().anyMatch(id -> AWS.row(id).isPresent()));
            assertThat(notVisible(AWS.deadLetterQueueName()))
                    .as("held while it moves them")
                    .isPositive();
        } finally {
            stopped.destroy();
        }
        assertThat(stopped.waitFor(30, TimeUnit.SECONDS)).isTrue();

        // the hold is ten minutes: only the release on SIGTERM makes them visible now
        assertThat(notVisible(AWS.deadLetterQueueName())).isZero();
        long left = visible(AWS.deadLetterQueueName());
        assertThat(left).as("some moved, the rest still there").isBetween(1L, 19L);
        awaitQuiet();
        long stored = exhausted.stream().filter(id -> AWS.row(id).isPresent()).count();
        assertThat(stored + left).as("each one stored or still parked").isGreaterThanOrEqualTo(20);
    }

    @Test
    void parkingKeepsTheAttributesAMessageArrivedWithAndARedriveSendsThemBack(@TempDir Path work) throws Exception {
        String marker = "not json " + UUID.randomUUID();
        sqs.sendMessage(request -> request.queueUrl(url(AWS.queueName()))
                .messageBody(marker)
                .messageAttributes(Map.of(
                        "team",
                        MessageAttributeValue.builder()
                                .dataType("String")
                                .stringValue("pricing")
                                .build(),
                        "blob",
                        MessageAttributeValue.builder()
                                .dataType("Binary")
                                .binaryValue(SdkBytes.fromByteArray(new byte[] {1, 2, 3}))
                                .build())));
        // a restored event (restore's mark: no follow-ups) whose producer id is stored with other content
        ObjectNode stored = product();
        ObjectNode restored = stored.deepCopy().put("color", "blue");
        String id = stored.get("id").asText();
        AWS.sendToQueue(SampleEvents.envelope(UPDATED, stored));
        await().atMost(Duration.ofSeconds(30)).until(() -> AWS.row(id).isPresent());
        sqs.sendMessage(request -> request.queueUrl(url(AWS.queueName()))
                .messageBody(SampleEvents.envelope(UPDATED, restored))
                .messageAttributes(Map.of(
                        "persister-restore",
                        MessageAttributeValue.builder()
                                .dataType("String")
                                .stringValue("without-follow-ups")
                                .build())));
        await().atMost(Duration.ofSeconds(60)).until(() -> visible(AWS.deadLetterQueueName()) == 2);

        Path file = work.resolve("parked.ndjson");
        Run export = toolkit(work, "dead-letters", "export", "--to", file.toString());
        assertThat(export.code()).as(export.err()).isZero();
        Map<String, JsonNode> parked = new HashMap<>();
        Files.readAllLines(file).stream()
                .map(DeadLettersCommandIT::readTree)
                .forEach(line -> parked.put(line.get("reason").asText(), line.get("attributes")));
        assertThat(parked.get("not-json").at("/team/string_value").asText()).isEqualTo("pricing");
        assertThat(parked.get("not-json").at("/blob/data_type").asText()).isEqualTo("Binary");
        assertThat(parked.get("not-json").at("/blob/binary_value").asText())
                .as("1, 2, 3 in Base64")
                .isEqualTo("AQID");
        assertThat(parked.get("conflict").at("/persister-restore/string_value").asText())
                .isEqualTo("without-follow-ups");
        assertThat(parked.get("conflict")
                        .at("/persister-stored-hash/string_value")
                        .asText())
                .isEqualTo(
                        AWS.row(id).orElseThrow().get(EventTable.PAYLOAD_HASH).s())
                .isEqualTo(EventOracle.payloadHash(stored.toString()));

        // the stored row deleted: the restored event comes back with its mark, is stored, and fires no follow-up
        dynamoDb.deleteItem(request ->
                request.tableName(AWS.tableName()).key(Map.of(EventTable.UNIQUE_ID, AttributeValue.fromS(id))));
        Run redrive = toolkit(work, "dead-letters", "redrive", "--reason", "conflict");
        assertThat(redrive.code()).as(redrive.err()).isZero();
        assertThat(redrive.out())
                .contains("1 selected: would be stored 1")
                .contains("moved 1 to the source queue, left 0");
        assertThat(visible(AWS.deadLetterQueueName()))
                .as("the not-json one, not selected, stays")
                .isEqualTo(1);
        await().atMost(Duration.ofSeconds(30)).until(() -> AWS.row(id).isPresent());
        awaitQuiet();
        Map<String, AttributeValue> row = AWS.row(id).orElseThrow();
        assertThat(row.get(EventTable.PAYLOAD_HASH).s()).isEqualTo(EventOracle.payloadHash(restored.toString()));
        assertThat(row).as("stored without a follow-up").doesNotContainKey(EventTable.FOLLOW_UP_STATUS);
    }

    private static ObjectNode product() {
        ObjectNode detail = SampleEvents.detail("catalog");
        detail.putObject("product")
                .put("sku", "SKU-1")
                .putObject("price")
                .put("amount", 12.50)
                .put("currency", "EUR");
        detail.remove("tags");
        detail.putArray("tags").add("new").add("summer").add("sale");
        detail.put("color", "red");
        return detail;
    }

    /** Stores {@code stored} through the service, then sends {@code changed} with the same producer id. */
    private void storeThenConflict(ObjectNode stored, ObjectNode changed) {
        String id = stored.get("id").asText();
        AWS.sendToQueue(SampleEvents.envelope(UPDATED, stored));
        await().atMost(Duration.ofSeconds(30)).until(() -> AWS.row(id).isPresent());
        AWS.sendToQueue(SampleEvents.envelope(UPDATED, changed));
    }

    /**
     * Valid events sent to a queue of their own whose redrive policy targets the service's dead-letter queue, each
     * received there with a plain client until SQS moves it: dead letters without a reason. Returns their unique ids.
     */
    private static List<String> exhaustRetries(int count) {
        String side = "dl-side-" + UUID.randomUUID().toString().substring(0, 8);
        String deadLetterArn = sqs.getQueueAttributes(request ->
                        request.queueUrl(url(AWS.deadLetterQueueName())).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes()
                .get(QueueAttributeName.QUEUE_ARN);
        String sideUrl = sqs.createQueue(request -> request.queueName(side)
                        .attributes(Map.of(
                                QueueAttributeName.REDRIVE_POLICY,
                                "{\"deadLetterTargetArn\":\"" + deadLetterArn + "\",\"maxReceiveCount\":\"1\"}")))
                .queueUrl();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ObjectNode detail = SampleEvents.detail("pricing");
            ids.add(detail.get("id").asText());
            String body = SampleEvents.envelope("com.kahula.pricing.PriceChangedEvent", detail);
            sqs.sendMessage(request -> request.queueUrl(sideUrl).messageBody(body));
        }
        // each receive with no visibility leaves it visible; the receive after maxReceiveCount moves it
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            sqs.receiveMessage(
                    request -> request.queueUrl(sideUrl).maxNumberOfMessages(10).visibilityTimeout(0));
            return visible(side) == 0;
        });
        sqs.deleteQueue(request -> request.queueUrl(sideUrl));
        return ids;
    }

    private static String url(String queue) {
        return sqs.getQueueUrl(request -> request.queueName(queue)).queueUrl();
    }

    private static long visible(String queue) {
        return attribute(queue, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES);
    }

    private static long notVisible(String queue) {
        return attribute(queue, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE);
    }

    private static long attribute(String queue, QueueAttributeName name) {
        return Long.parseLong(
                sqs.getQueueAttributes(request -> request.queueUrl(url(queue)).attributeNames(name))
                        .attributes()
                        .get(name));
    }

    record Run(int code, String out, String err) {}

    private static Run toolkit(Path work, String... arguments) throws IOException, InterruptedException {
        Path out = Files.createTempFile(work, "out", ".txt");
        Path err = Files.createTempFile(work, "err", ".txt");
        Process process = withEnvironment(new ProcessBuilder(command(arguments)))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        process.getOutputStream().close();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("the command did not end: " + String.join(" ", arguments));
        }
        return new Run(
                process.exitValue(),
                Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    private static Process toolkitProcess(Path log, String... arguments) throws IOException {
        return withEnvironment(new ProcessBuilder(command(arguments)))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    private static ProcessBuilder withEnvironment(ProcessBuilder builder) {
        builder.environment().putAll(SERVICE_ENVIRONMENT);
        return builder;
    }

    private static List<String> command(String... arguments) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Daws.accessKeyId=test",
                "-Daws.secretAccessKey=test",
                "-cp",
                System.getProperty("java.class.path"),
                EventPersisterApplication.class.getName()));
        command.addAll(List.of(arguments));
        command.addAll(List.of(
                "--region", "us-east-1", "--endpoint-url", STACK.endpoint().toString()));
        return command;
    }

    private static JsonNode readTree(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException(line, e);
        }
    }
}
