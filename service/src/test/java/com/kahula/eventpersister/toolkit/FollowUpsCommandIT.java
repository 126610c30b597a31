package com.kahula.eventpersister.toolkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.kahula.embeddedaws.BusEvent;
import com.kahula.embeddedaws.EmbeddedAwsStack;
import com.kahula.eventpersister.store.EventTable;
import com.kahula.eventpersister.support.EventOracle;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/**
 * {@code followups pending|send|backfill} against a table and bus of their own on the embedded stack, with no service
 * running (so no sweeper but the command's): items written as the service stores them, with the follow-up ids of the
 * independent oracle and the outbox shards worked out here.
 */
class FollowUpsCommandIT {

    private static final EmbeddedAwsStack STACK = EmbeddedAwsStack.shared();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TYPE = "ValidatableEvent";
    /** The service's follow-up source, persister.follow-up.source in application.yml. */
    private static final String SOURCE = "kahula.event-persister";

    private static DynamoDbClient dynamoDb;
    private static EventBridgeClient eventBridge;

    private final String env = "fu-" + UUID.randomUUID().toString().substring(0, 8);
    private final String table = "kahula-events-" + env;
    private final String bus = "kahula-events-" + env;

    @BeforeAll
    static void clients() {
        // the commands take the SDK's default credentials chain, as on ECS; the stack accepts any
        System.setProperty("aws.accessKeyId", EmbeddedAwsStack.ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", EmbeddedAwsStack.SECRET_KEY);
        dynamoDb = STACK.configure(DynamoDbClient.builder()).build();
        eventBridge = STACK.configure(EventBridgeClient.builder()).build();
    }

    @AfterAll
    static void close() {
        dynamoDb.close();
        eventBridge.close();
    }

    @BeforeEach
    void tableAndBus() {
        dynamoDb.createTable(EventTable.createTableRequest(table));
        dynamoDb.waiter().waitUntilTableExists(request -> request.tableName(table));
        eventBridge.createEventBus(request -> request.name(bus));
    }

    @AfterEach
    void dropTableAndBus() {
        STACK.eventBridge().clearFaults();
        dynamoDb.deleteTable(request -> request.tableName(table));
        eventBridge.deleteEventBus(request -> request.name(bus));
    }

    @Test
    void pendingListsExactlyThePendingFollowUpsOlderThanTheCutoffThenTheRejectedWithTheBusWords() {
        Instant now = Instant.now();
        List<String> old = seed(20, "PENDING", now.minus(Duration.ofHours(1)), true, null);
        List<String> young = seed(3, "PENDING", now.minus(Duration.ofMinutes(1)), true, null);
        seed(5, "EMITTED", now.minus(Duration.ofHours(1)), false, null);
        List<String> refused = seed(
                2, "REJECTED", now.minus(Duration.ofHours(2)), true, "MalformedDetail: Detail is malformed.\nline 2");
        seedWithoutFollowUp(now.minus(Duration.ofHours(1)));
        assertThat(old.stream().map(FollowUpsCommandIT::shardOf).distinct().count())
                .as("spread over several shards")
                .isGreaterThan(1);

        ToolkitTests.Run ndjson = run("followups", "pending", "--older-than", "10m", "--format", "ndjson");

        assertThat(ndjson.code()).as(ndjson.err()).isZero();
        List<JsonNode> lines =
                ndjson.out().lines().map(FollowUpsCommandIT::readTree).toList();
        List<String> listed =
                lines.stream().map(line -> line.get("unique_id").asText()).toList();
        assertThat(listed)
                .as("the pending older than 10 minutes, then the rejected; nothing else")
                .containsExactlyInAnyOrderElementsOf(concat(old, refused));
        assertThat(listed.subList(old.size(), listed.size())).containsExactlyInAnyOrderElementsOf(refused);
        for (JsonNode line : lines) {
            String uniqueId = line.get("unique_id").asText();
            boolean rejected = refused.contains(uniqueId);
            Instant received = now.minus(rejected ? Duration.ofHours(2) : Duration.ofHours(1));
            assertThat(line.get("follow_up_id").asText()).isEqualTo(EventOracle.followUpId(uniqueId, TYPE));
            assertThat(line.get("follow_up_type").asText()).isEqualTo(TYPE);
            assertThat(line.get("event_name").asText()).isEqualTo("ProductUpdatedEvent");
            assertThat(line.get("status").asText()).isEqualTo(rejected ? "REJECTED" : "PENDING");
            assertThat(line.get("received_at").asText()).isEqualTo(EventOracle.storedTimestamp(received));
            assertThat(line.get("age_seconds").asLong())
                    .isBetween(
                            Duration.between(received, now).toSeconds(),
                            Duration.between(received, now).toSeconds() + 60);
            assertThat(line.get("error").isNull() ? null : line.get("error").asText())
                    .isEqualTo(rejected ? "MalformedDetail: Detail is malformed.\nline 2" : null);
        }

        ToolkitTests.Run all = run("followups", "pending");

        assertThat(all.code()).as(all.err()).isZero();
        List<String> rows = all.out().lines().toList();
        assertThat(rows.getFirst()).startsWith("UNIQUE ID").contains("FOLLOW-UP ID", "AGE", "ERROR");
        assertThat(rows.getLast()).isEqualTo("23 pending, 2 rejected");
        assertThat(rows.subList(1, rows.size() - 1))
                .hasSize(25)
                .anySatisfy(row -> assertThat(row)
                        .startsWith(young.getFirst())
                        .contains(EventOracle.followUpId(young.getFirst(), TYPE), " PENDING ")
                        .endsWith("  -"))
                .anySatisfy(row -> assertThat(row)
                        .startsWith(refused.getFirst())
                        .contains(" REJECTED ", " 2h00m ")
                        .endsWith("MalformedDetail: Detail is malformed. line 2"));
    }

    @Test
    void sendPutsThePendingFollowUpsOnTheBusAndMarksThemEmittedAndADryRunChangesNothing() {
        Instant now = Instant.now();
        List<String> old = seed(12, "PENDING", now.minus(Duration.ofMinutes(30)), true, null);
        List<String> young = seed(2, "PENDING", now.minus(Duration.ofSeconds(10)), true, null);
        Map<String, Map<String, AttributeValue>> before = items();

        ToolkitTests.Run dryRun = run("followups", "send", "--dry-run");

        assertThat(dryRun.code()).as(dryRun.err()).isZero();
        assertThat(dryRun.out())
                .as("older than the service's sweep grace, 2 minutes: not the young ones")
                .contains("followups send (dry run): 12 pending older than 2m00s would be sent");
        assertThat(dryRun.out().lines().filter(line -> line.contains(" PENDING ")))
                .extracting(line -> line.substring(0, 36))
                .containsExactlyInAnyOrderElementsOf(old);
        assertThat(items()).as("nothing changed").isEqualTo(before);
        assertThat(onTheBus()).as("nothing sent").isEmpty();

        ToolkitTests.Run send = run("followups", "send");

        assertThat(send.code()).as(send.err()).isZero();
        assertThat(send.out())
                .contains("followups send: older than 2m00s, found 12, sent 12, rejected 0, not sent 0; sent again 0,"
                        + " not marked 0");
        Map<String, Map<String, AttributeValue>> after = items();
        for (String uniqueId : old) {
            assertThat(text(after.get(uniqueId), "follow_up_status")).isEqualTo("EMITTED");
            assertThat(after.get(uniqueId))
                    .as("out of the outbox")
                    .doesNotContainKey("follow_up_outbox")
                    .containsKey("follow_up_emitted_at");
        }
        for (String uniqueId : young) {
            assertThat(after.get(uniqueId)).isEqualTo(before.get(uniqueId));
        }
        List<BusEvent> sent = onTheBus();
        assertThat(sent).hasSize(12).allSatisfy(event -> {
            assertThat(event.detailType()).isEqualTo(TYPE);
            assertThat(event.source()).isEqualTo(SOURCE);
        });
        assertThat(sent.stream()
                        .collect(Collectors.toMap(
                                event -> event.detail().get("causationId").asText(),
                                event -> event.detail().get("id").asText())))
                .isEqualTo(old.stream().collect(Collectors.toMap(id -> id, id -> EventOracle.followUpId(id, TYPE))));

        ToolkitTests.Run again = run("followups", "send", "--older-than", "0s");

        assertThat(again.code()).as(again.err()).isZero();
        assertThat(again.out()).contains("found 2, sent 2, rejected 0, not sent 0");
        assertThat(onTheBus()).as("only the young ones sent now").hasSize(14);
    }

    @Test
    void sendRecordsWhatTheBusRefusesForItsContentAndFailsWhileTheBusTakesNothing() {
        Instant now = Instant.now();
        List<String> refused = seed(3, "PENDING", now.minus(Duration.ofHours(1)), true, null);

        STACK.eventBridge().rejectEntries("NotAuthorizedForSourceException");
        ToolkitTests.Run down;
        try {
            down = run("followups", "send");
        } finally {
            STACK.eventBridge().clearFaults();
        }

        assertThat(down.code()).as("the bus took none").isEqualTo(1);
        // the sweep stops at the first page of which the bus took nothing: one shard's, from a random one
        assertThat(down.out()).containsPattern("found ([123]), sent 0, rejected 0, not sent \\1;");
        assertThat(down.err()).containsPattern("[123] not sent: the bus did not take them, and the sweep stopped");
        assertThat(refused)
                .allSatisfy(id ->
                        assertThat(text(items().get(id), "follow_up_status")).isEqualTo("PENDING"));

        STACK.eventBridge().rejectEntries("MalformedDetail");
        ToolkitTests.Run malformed;
        try {
            malformed = run("followups", "send");
        } finally {
            STACK.eventBridge().clearFaults();
        }

        assertThat(malformed.code()).as(malformed.err()).isZero();
        assertThat(malformed.out()).contains("found 3, sent 0, rejected 3, not sent 0");
        ToolkitTests.Run listed = run("followups", "pending", "--format", "ndjson");
        assertThat(listed.out().lines().map(FollowUpsCommandIT::readTree))
                .hasSize(3)
                .allSatisfy(line -> {
                    assertThat(line.get("status").asText()).isEqualTo("REJECTED");
                    assertThat(line.get("error").asText()).startsWith("MalformedDetail");
                });
        assertThat(onTheBus()).isEmpty();
    }

    @Test
    void backfillPutsPendingItemsFromBeforeTheIndexInTheirShardAndARerunChangesNothing() {
        Instant now = Instant.now();
        List<String> unindexed = seed(15, "PENDING", now.minus(Duration.ofHours(3)), false, null);
        List<String> indexed = seed(2, "PENDING", now.minus(Duration.ofHours(3)), true, null);
        seed(4, "EMITTED", now.minus(Duration.ofHours(3)), false, null);
        assertThat(pendingIds())
                .as("the index holds only the items written with it")
                .isEqualTo(Set.copyOf(indexed));
        Map<String, Map<String, AttributeValue>> before = items();

        ToolkitTests.Run dryRun = run("followups", "backfill", "--dry-run");

        assertThat(dryRun.code()).as(dryRun.err()).isZero();
        assertThat(dryRun.out())
                .contains("followups backfill (dry run): scanned 21 items, PENDING outside the outbox 15, put in the"
                        + " outbox 0, changed meanwhile 0");
        assertThat(items()).isEqualTo(before);

        ToolkitTests.Run backfill = run("followups", "backfill");

        assertThat(backfill.code()).as(backfill.err()).isZero();
        assertThat(backfill.out())
                .contains("followups backfill: scanned 21 items, PENDING outside the outbox 15, put in the outbox 15,"
                        + " changed meanwhile 0");
        Map<String, Map<String, AttributeValue>> after = items();
        for (String uniqueId : unindexed) {
            Map<String, AttributeValue> expected = new HashMap<>(before.get(uniqueId));
            expected.put("follow_up_outbox", AttributeValue.fromS(shardOf(uniqueId)));
            assertThat(after.get(uniqueId)).as("only its shard added").isEqualTo(expected);
        }
        assertThat(pendingIds()).isEqualTo(Set.copyOf(concat(unindexed, indexed)));

        ToolkitTests.Run rerun = run("followups", "backfill");

        assertThat(rerun.code()).as(rerun.err()).isZero();
        assertThat(rerun.out()).contains("PENDING outside the outbox 0, put in the outbox 0, changed meanwhile 0");
        assertThat(items()).isEqualTo(after);
    }

    // ---------------------------------------------------------------- helpers

    private ToolkitTests.Run run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of(
                "--env",
                env,
                "--region",
                EmbeddedAwsStack.REGION,
                "--endpoint-url",
                STACK.endpoint().toString()));
        return ToolkitTests.run(all.toArray(String[]::new));
    }

    /** The unique ids that {@code followups pending} lists. */
    private Set<String> pendingIds() {
        ToolkitTests.Run listed = run("followups", "pending", "--format", "ndjson");
        assertThat(listed.code()).as(listed.err()).isZero();
        return listed.out()
                .lines()
                .map(line -> readTree(line).get("unique_id").asText())
                .collect(Collectors.toSet());
    }

    /**
     * Writes {@code count} ProductUpdatedEvents as the service stores them with their follow-up in {@code status},
     * received at {@code receivedAt}; in the outbox when {@code inOutbox} (their shard, or {@code rejected}).
     */
    private List<String> seed(
            int count, String status, Instant receivedAt, boolean inOutbox, @Nullable String busWords) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String uniqueId = UUID.randomUUID().toString();
            Map<String, AttributeValue> item = event(uniqueId, receivedAt);
            item.put("follow_up_status", AttributeValue.fromS(status));
            item.put("follow_up_id", AttributeValue.fromS(EventOracle.followUpId(uniqueId, TYPE)));
            item.put("follow_up_type", AttributeValue.fromS(TYPE));
            if (status.equals("EMITTED")) {
                item.put("follow_up_emitted_at", AttributeValue.fromS(EventOracle.storedTimestamp(receivedAt)));
            }
            if (busWords != null) {
                item.put("follow_up_error", AttributeValue.fromS(busWords));
            }
            if (inOutbox) {
                item.put(
                        "follow_up_outbox",
                        AttributeValue.fromS(status.equals("REJECTED") ? "rejected" : shardOf(uniqueId)));
            }
            items.add(item);
            ids.add(uniqueId);
        }
        write(items);
        return ids;
    }

    private void seedWithoutFollowUp(Instant receivedAt) {
        write(List.of(event(UUID.randomUUID().toString(), receivedAt)));
    }

    private static Map<String, AttributeValue> event(String uniqueId, Instant receivedAt) {
        String detail =
                "{\"id\":\"%s\",\"domain\":\"catalog\",\"timestamp\":\"2026-11-27T10:00:00.000Z\",\"sku\":\"S-1\"}"
                        .formatted(uniqueId);
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put("unique_id", AttributeValue.fromS(uniqueId));
        item.put("payload_hash", AttributeValue.fromS(EventOracle.payloadHash(detail)));
        item.put("mbocdp_id", AttributeValue.fromS(uniqueId));
        item.put("aws_id", AttributeValue.fromS(UUID.randomUUID().toString()));
        item.put("event_name", AttributeValue.fromS("ProductUpdatedEvent"));
        item.put("timestamp", AttributeValue.fromS("2026-11-27T10:00:00.000Z"));
        item.put("domain", AttributeValue.fromS("catalog"));
        item.put("source", AttributeValue.fromS("kahula.catalog"));
        item.put("payload", AttributeValue.fromS(detail));
        item.put("detail_type", AttributeValue.fromS("com.kahula.catalog.ProductUpdatedEvent"));
        item.put("received_at", AttributeValue.fromS(EventOracle.storedTimestamp(receivedAt)));
        return item;
    }

    private void write(List<Map<String, AttributeValue>> items) {
        for (int from = 0; from < items.size(); from += 25) {
            List<WriteRequest> writes = items.subList(from, Math.min(from + 25, items.size())).stream()
                    .map(item -> WriteRequest.builder()
                            .putRequest(PutRequest.builder().item(item).build())
                            .build())
                    .toList();
            var response = dynamoDb.batchWriteItem(request -> request.requestItems(Map.of(table, writes)));
            assertThat(response.unprocessedItems()).isEmpty();
        }
    }

    /** Every item of the table, by unique id, read consistently. */
    private Map<String, Map<String, AttributeValue>> items() {
        Map<String, Map<String, AttributeValue>> items = new HashMap<>();
        dynamoDb.scanPaginator(request -> request.tableName(table).consistentRead(true))
                .items()
                .forEach(item -> items.put(item.get("unique_id").s(), item));
        return items;
    }

    private List<BusEvent> onTheBus() {
        return STACK.eventBridge().acceptedEvents().stream()
                .filter(event -> event.busName().equals(bus))
                .toList();
    }

    /**
     * The outbox shard the table's layout gives a PENDING item: the unique id's hash as the JLS defines
     * String.hashCode (s[0]*31^(n-1) + ... + s[n-1] in int arithmetic), modulo 16 rounded down, as pending-00..15.
     */
    private static String shardOf(String uniqueId) {
        int hash = 0;
        for (int i = 0; i < uniqueId.length(); i++) {
            hash = 31 * hash + uniqueId.charAt(i);
        }
        return "pending-%02d".formatted(Math.floorMod(hash, 16));
    }

    private static @Nullable String text(@Nullable Map<String, AttributeValue> item, String name) {
        AttributeValue value = item == null ? null : item.get(name);
        return value == null ? null : value.s();
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> both = new ArrayList<>(first);
        both.addAll(second);
        return both;
    }

    private static JsonNode readTree(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
