package com.kahula.eventpersister.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.kahula.embeddedaws.EmbeddedAwsStack;
import com.kahula.eventpersister.event.StoredEvent;
import com.kahula.eventpersister.store.FollowUpOutbox.Page;
import com.kahula.eventpersister.store.FollowUpOutbox.Position;
import com.kahula.eventpersister.store.FollowUpOutbox.Waiting;
import com.kahula.eventpersister.support.EventOracle;
import com.kahula.eventpersister.support.SampleEvents;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;

/**
 * The outbox on dynalite, on a table created as the provisioner creates it ({@link EventTable#createTableRequest}) and
 * items written by the service's own store: the sparse index holds the PENDING follow-ups by shard and received time
 * and the REJECTED ones, the marks are conditional and take the item out of the pending shards. Each test has a table
 * of its own. The shard an item lands in is {@link EventOracle#outboxShard}'s, the stored times
 * {@link EventOracle#storedTimestamp}'s.
 */
class DynamoDbFollowUpOutboxIT {

    private static final EmbeddedAwsStack STACK = EmbeddedAwsStack.shared();
    private static final Instant CUTOFF = Instant.parse("2026-11-30T10:00:00Z");
    private static final String TYPE = "ValidatableEvent";

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final DynamoDbAsyncClient dynamoDb =
            STACK.configure(DynamoDbAsyncClient.builder()).build();
    private final String table = "outbox-it-" + UUID.randomUUID();
    private final Retry retry = Retry.of(
            "outbox-it",
            RetryConfig.custom()
                    .maxAttempts(3)
                    .waitDuration(Duration.ofMillis(50))
                    .retryOnException(DynamoDbEventStore::isTransient)
                    .build());
    private final DynamoDbEventStore store =
            new DynamoDbEventStore(dynamoDb, table, retry, scheduler, CircuitBreaker.ofDefaults("outbox-it"));
    private final DynamoDbFollowUpOutbox outbox = new DynamoDbFollowUpOutbox(dynamoDb, table, retry, scheduler);

    @BeforeEach
    void createTable() {
        dynamoDb.createTable(EventTable.createTableRequest(table)).join();
        dynamoDb.waiter()
                .waitUntilTableExists(request -> request.tableName(table))
                .join();
    }

    @AfterEach
    void dropTable() throws InterruptedException {
        dynamoDb.deleteTable(request -> request.tableName(table)).join();
        dynamoDb.close();
        scheduler.shutdownNow();
        assertThat(scheduler.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void theTableHasTheSparseOutboxIndexOnOutboxAndReceivedTimeKeysOnly() {
        List<GlobalSecondaryIndexDescription> indexes = dynamoDb.describeTable(request -> request.tableName(table))
                .join()
                .table()
                .globalSecondaryIndexes();

        assertThat(indexes)
                .filteredOn(index -> index.indexName().equals("follow_up_outbox-index"))
                .singleElement()
                .satisfies(index -> {
                    assertThat(index.keySchema())
                            .containsExactly(
                                    KeySchemaElement.builder()
                                            .attributeName("follow_up_outbox")
                                            .keyType(KeyType.HASH)
                                            .build(),
                                    KeySchemaElement.builder()
                                            .attributeName("received_at")
                                            .keyType(KeyType.RANGE)
                                            .build());
                    assertThat(index.projection().projectionType()).isEqualTo(ProjectionType.KEYS_ONLY);
                });
    }

    @Test
    void pendingListsOnlyTheShardsPendingFollowUpsReceivedBeforeTheCutoffOldestFirstPageByPage() {
        List<String> ids = idsInShard(5, 9);
        // stored out of order: the index orders them
        int[] secondsBeforeCutoff = {30, 50, 10, 40, 20};
        for (int i = 0; i < 5; i++) {
            save(ids.get(i), CUTOFF.minusSeconds(secondsBeforeCutoff[i]), true);
        }
        save(ids.get(5), CUTOFF, true);
        save(ids.get(6), CUTOFF.minusSeconds(60), false);
        save(ids.get(7), CUTOFF.minusSeconds(70), true);
        assertThat(outbox.markEmitted(ids.get(7), followUpId(ids.get(7)), CUTOFF)
                        .join())
                .isTrue();
        save(ids.get(8), CUTOFF.minusSeconds(80), true);
        assertThat(outbox.markRejected(ids.get(8), followUpId(ids.get(8)), "MalformedDetail: no")
                        .join())
                .isTrue();
        String elsewhere = idsInShard(6, 1).getFirst();
        save(elsewhere, CUTOFF.minusSeconds(90), true);

        List<Page> pages = new ArrayList<>();
        Optional<Position> after = Optional.empty();
        do {
            Page page = outbox.pending(5, CUTOFF, after, 2).join();
            pages.add(page);
            after = page.next();
        } while (after.isPresent() && pages.size() < 10);

        assertThat(pages.getFirst().waiting()).hasSize(2);
        assertThat(pages.getFirst().next())
                .contains(new Position("pending-05", EventOracle.storedTimestamp(CUTOFF.minusSeconds(40)), ids.get(3)));
        assertThat(pages).hasSizeBetween(3, 4);
        List<Waiting> listed =
                pages.stream().flatMap(page -> page.waiting().stream()).toList();
        assertThat(listed)
                .extracting(waiting -> waiting.event().uniqueId())
                .containsExactly(ids.get(1), ids.get(3), ids.get(0), ids.get(4), ids.get(2));
        assertThat(listed).allSatisfy(waiting -> {
            assertThat(waiting.mark())
                    .isEqualTo(FollowUpMark.pending(followUpId(waiting.event().uniqueId()), TYPE));
            assertThat(waiting.error()).isEmpty();
        });
        assertThat(listed.getFirst().event()).isEqualTo(event(ids.get(1), CUTOFF.minusSeconds(50)));
    }

    @Test
    void markEmittedTakesTheFollowUpOutOfTheIndexAndAnswersFalseTheSecondTime() {
        String id = idsInShard(2, 1).getFirst();
        save(id, CUTOFF.minusSeconds(10), true);
        assertThat(item(id)).containsEntry("follow_up_outbox", AttributeValue.fromS("pending-02"));

        assertThat(outbox.markEmitted(id, followUpId(id), Instant.parse("2026-11-30T10:00:01.234Z"))
                        .join())
                .isTrue();

        assertThat(item(id))
                .containsEntry("follow_up_status", AttributeValue.fromS("EMITTED"))
                .containsEntry("follow_up_emitted_at", AttributeValue.fromS("2026-11-30T10:00:01.234Z"))
                .doesNotContainKey("follow_up_outbox");
        assertThat(outbox.pending(2, CUTOFF, Optional.empty(), 10).join().waiting())
                .isEmpty();
        assertThat(outbox.markEmitted(id, followUpId(id), CUTOFF).join()).isFalse();
        assertThat(outbox.markRejected(id, followUpId(id), "MalformedDetail: late")
                        .join())
                .isFalse();
        assertThat(item(id))
                .containsEntry("follow_up_status", AttributeValue.fromS("EMITTED"))
                .containsEntry("follow_up_emitted_at", AttributeValue.fromS("2026-11-30T10:00:01.234Z"));
    }

    @Test
    void aMarkOfAnotherFollowUpIdOrOfAnItemWithoutFollowUpChangesNothing() {
        String pending = idsInShard(4, 1).getFirst();
        save(pending, CUTOFF.minusSeconds(10), true);
        String plain = "plain-" + UUID.randomUUID();
        save(plain, CUTOFF.minusSeconds(10), false);

        assertThat(outbox.markEmitted(pending, followUpId("someone-else"), CUTOFF)
                        .join())
                .isFalse();
        assertThat(outbox.markEmitted(plain, followUpId(plain), CUTOFF).join()).isFalse();

        assertThat(item(pending))
                .containsEntry("follow_up_status", AttributeValue.fromS("PENDING"))
                .containsEntry("follow_up_outbox", AttributeValue.fromS("pending-04"));
        assertThat(item(plain)).doesNotContainKeys("follow_up_status", "follow_up_outbox");
    }

    @Test
    void markRejectedStoresTheBusWordsAndListsTheFollowUpUnderRejectedOldestFirst() {
        List<String> ids = List.of("r-" + UUID.randomUUID(), "r-" + UUID.randomUUID(), "r-" + UUID.randomUUID());
        for (int i = 0; i < 3; i++) {
            save(ids.get(i), CUTOFF.minusSeconds(10 * (3 - i)), true);
        }

        assertThat(outbox.markRejected(ids.get(0), followUpId(ids.get(0)), "MalformedDetail: Detail is malformed.")
                        .join())
                .isTrue();
        assertThat(outbox.markRejected(ids.get(1), followUpId(ids.get(1)), "  ").join())
                .isTrue();
        assertThat(outbox.markRejected(ids.get(2), followUpId(ids.get(2)), "InvalidArgument: too big")
                        .join())
                .isTrue();
        assertThat(outbox.markRejected(ids.get(0), followUpId(ids.get(0)), "again")
                        .join())
                .isFalse();

        assertThat(item(ids.get(0)))
                .containsEntry("follow_up_status", AttributeValue.fromS("REJECTED"))
                .containsEntry("follow_up_error", AttributeValue.fromS("MalformedDetail: Detail is malformed."))
                .containsEntry("follow_up_outbox", AttributeValue.fromS("rejected"));
        Page first = outbox.rejected(Optional.empty(), 2).join();
        assertThat(first.next()).isPresent();
        Page second = outbox.rejected(first.next(), 2).join();
        List<Waiting> rejected = new ArrayList<>(first.waiting());
        rejected.addAll(second.waiting());
        assertThat(rejected)
                .extracting(waiting -> waiting.event().uniqueId(), Waiting::error)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(ids.get(0), "MalformedDetail: Detail is malformed."),
                        org.assertj.core.groups.Tuple.tuple(ids.get(1), "(no reason given)"),
                        org.assertj.core.groups.Tuple.tuple(ids.get(2), "InvalidArgument: too big"));
        assertThat(rejected)
                .allSatisfy(waiting -> assertThat(waiting.mark().status()).isEqualTo(FollowUpMark.Status.REJECTED));
        for (int shard = 0; shard < 16; shard++) {
            assertThat(outbox.pending(shard, CUTOFF, Optional.empty(), 10)
                            .join()
                            .waiting())
                    .isEmpty();
        }
    }

    @Test
    void oldestPendingIsTheEarliestReceivedTimeOverEveryShardAndEmptyWithoutAny() {
        assertThat(outbox.oldestPending().join()).isEmpty();
        String oldest = idsInShard(9, 1).getFirst();
        String next = idsInShard(3, 1).getFirst();
        save(oldest, Instant.parse("2026-11-30T09:00:00.125Z"), true);
        save(next, Instant.parse("2026-11-30T09:30:00Z"), true);
        save(idsInShard(3, 2).getLast(), Instant.parse("2026-11-30T09:45:00Z"), true);
        String plain = "plain-" + UUID.randomUUID();
        save(plain, Instant.parse("2026-11-30T08:00:00Z"), false);

        assertThat(outbox.oldestPending().join()).contains(Instant.parse("2026-11-30T09:00:00.125Z"));

        assertThat(outbox.markEmitted(oldest, followUpId(oldest), CUTOFF).join())
                .isTrue();
        assertThat(outbox.oldestPending().join()).contains(Instant.parse("2026-11-30T09:30:00Z"));
        assertThat(outbox.markRejected(next, followUpId(next), "MalformedDetail: no")
                        .join())
                .isTrue();
        assertThat(outbox.oldestPending().join()).contains(Instant.parse("2026-11-30T09:45:00Z"));
    }

    /** {@code count} fresh unique ids whose follow-ups land in outbox shard {@code shard}, by the oracle. */
    private static List<String> idsInShard(int shard, int count) {
        String outbox = "pending-%02d".formatted(shard);
        List<String> ids = new ArrayList<>(count);
        while (ids.size() < count) {
            String id = UUID.randomUUID().toString();
            if (EventOracle.outboxShard(id).equals(outbox)) {
                ids.add(id);
            }
        }
        return ids;
    }

    /** Stores the event as the service does, with a PENDING follow-up if {@code withFollowUp}. */
    private void save(String uniqueId, Instant receivedAt, boolean withFollowUp) {
        Optional<FollowUpMark> mark =
                withFollowUp ? Optional.of(FollowUpMark.pending(followUpId(uniqueId), TYPE)) : Optional.empty();
        assertThat(store.save(event(uniqueId, receivedAt), mark).join().outcome())
                .isEqualTo(SaveOutcome.STORED);
    }

    private Map<String, AttributeValue> item(String uniqueId) {
        return dynamoDb.getItem(request -> request.tableName(table)
                        .key(Map.of("unique_id", AttributeValue.fromS(uniqueId)))
                        .consistentRead(true))
                .join()
                .item();
    }

    private static String followUpId(String uniqueId) {
        return EventOracle.followUpId(uniqueId, TYPE);
    }

    private static StoredEvent event(String uniqueId, Instant receivedAt) {
        return SampleEvents.storedUpdatedEvent(uniqueId, receivedAt);
    }
}
