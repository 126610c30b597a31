package com.kahula.eventpersister.store;

import com.kahula.eventpersister.aws.AwsErrors;
import com.kahula.eventpersister.event.Timestamps;
import io.github.resilience4j.retry.Retry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * The outbox on the events table: marks are conditional UpdateItems that also take the item out of (or, when
 * rejected, move it within) the sparse outbox index; the pending follow-ups are a Query on that index (keys only)
 * followed by a consistent BatchGetItem of the items, which decides whether each is still PENDING.
 */
public final class DynamoDbFollowUpOutbox implements FollowUpOutbox {

    // BatchGetItem reads at most 100 keys a call.
    private static final int MAX_KEYS_PER_READ = 100;
    private static final String STILL_PENDING = "#followUpId = :id AND #status = :pending";

    private final DynamoDbAsyncClient dynamoDb;
    private final String tableName;
    private final Retry retry;
    private final ScheduledExecutorService retryScheduler;

    public DynamoDbFollowUpOutbox(
            DynamoDbAsyncClient dynamoDb, String tableName, Retry retry, ScheduledExecutorService retryScheduler) {
        this.dynamoDb = dynamoDb;
        this.tableName = tableName;
        this.retry = retry;
        this.retryScheduler = retryScheduler;
    }

    @Override
    public CompletableFuture<Boolean> markEmitted(String uniqueId, String followUpId, Instant emittedAt) {
        return mark(UpdateItemRequest.builder()
                .tableName(tableName)
                .key(key(uniqueId))
                .updateExpression("SET #status = :emitted, #emittedAt = :at REMOVE #outbox")
                .conditionExpression(STILL_PENDING)
                .expressionAttributeNames(Map.of(
                        "#status", EventTable.FOLLOW_UP_STATUS,
                        "#emittedAt", EventTable.FOLLOW_UP_EMITTED_AT,
                        "#outbox", EventTable.FOLLOW_UP_OUTBOX,
                        "#followUpId", EventTable.FOLLOW_UP_ID))
                .expressionAttributeValues(Map.of(
                        ":emitted", AttributeValue.fromS(FollowUpMark.Status.EMITTED.name()),
                        ":pending", AttributeValue.fromS(FollowUpMark.Status.PENDING.name()),
                        ":at", AttributeValue.fromS(Timestamps.format(emittedAt)),
                        ":id", AttributeValue.fromS(followUpId)))
                .build());
    }

    @Override
    public CompletableFuture<Boolean> markRejected(String uniqueId, String followUpId, String busWords) {
        return mark(UpdateItemRequest.builder()
                .tableName(tableName)
                .key(key(uniqueId))
                .updateExpression("SET #status = :rejected, #error = :words, #outbox = :outbox")
                .conditionExpression(STILL_PENDING)
                .expressionAttributeNames(Map.of(
                        "#status", EventTable.FOLLOW_UP_STATUS,
                        "#error", EventTable.FOLLOW_UP_ERROR,
                        "#outbox", EventTable.FOLLOW_UP_OUTBOX,
                        "#followUpId", EventTable.FOLLOW_UP_ID))
                .expressionAttributeValues(Map.of(
                        ":rejected", AttributeValue.fromS(FollowUpMark.Status.REJECTED.name()),
                        ":pending", AttributeValue.fromS(FollowUpMark.Status.PENDING.name()),
                        ":words", AttributeValue.fromS(busWords.isBlank() ? "(no reason given)" : busWords),
                        ":outbox", AttributeValue.fromS(EventTable.REJECTED_OUTBOX),
                        ":id", AttributeValue.fromS(followUpId)))
                .build());
    }

    @Override
    public CompletableFuture<Page> pending(int shard, Instant receivedBefore, Optional<Position> after, int limit) {
        String outbox = EventTable.pendingShard(shard);
        return page(
                indexQuery(outbox, after, limit)
                        .keyConditionExpression("#outbox = :outbox AND #receivedAt < :before")
                        .expressionAttributeNames(
                                Map.of("#outbox", EventTable.FOLLOW_UP_OUTBOX, "#receivedAt", EventTable.RECEIVED_AT))
                        .expressionAttributeValues(Map.of(
                                ":outbox", AttributeValue.fromS(outbox),
                                ":before", AttributeValue.fromS(Timestamps.format(receivedBefore))))
                        .build(),
                FollowUpMark.Status.PENDING);
    }

    @Override
    public CompletableFuture<Page> rejected(Optional<Position> after, int limit) {
        return page(
                indexQuery(EventTable.REJECTED_OUTBOX, after, limit)
                        .keyConditionExpression("#outbox = :outbox")
                        .expressionAttributeNames(Map.of("#outbox", EventTable.FOLLOW_UP_OUTBOX))
                        .expressionAttributeValues(Map.of(":outbox", AttributeValue.fromS(EventTable.REJECTED_OUTBOX)))
                        .build(),
                FollowUpMark.Status.REJECTED);
    }

    private CompletableFuture<Page> page(QueryRequest query, FollowUpMark.Status status) {
        return withRetry(() -> dynamoDb.query(query))
                .thenCompose(response -> items(response.items())
                        .thenApply(items -> new Page(
                                waiting(items, status),
                                response.hasLastEvaluatedKey()
                                                && !response.lastEvaluatedKey().isEmpty()
                                        ? Optional.of(position(response.lastEvaluatedKey()))
                                        : Optional.empty())));
    }

    private static Position position(Map<String, AttributeValue> key) {
        return new Position(
                EventTable.text(key, EventTable.FOLLOW_UP_OUTBOX),
                EventTable.text(key, EventTable.RECEIVED_AT),
                EventTable.text(key, EventTable.UNIQUE_ID));
    }

    @Override
    public CompletableFuture<Optional<Instant>> oldestPending() {
        List<CompletableFuture<Optional<Instant>>> shards = new ArrayList<>(EventTable.OUTBOX_SHARDS);
        for (int shard = 0; shard < EventTable.OUTBOX_SHARDS; shard++) {
            String outbox = EventTable.pendingShard(shard);
            shards.add(withRetry(() -> dynamoDb.query(indexQuery(outbox, Optional.empty(), 1)
                            .keyConditionExpression("#outbox = :outbox")
                            .expressionAttributeNames(Map.of("#outbox", EventTable.FOLLOW_UP_OUTBOX))
                            .expressionAttributeValues(Map.of(":outbox", AttributeValue.fromS(outbox)))
                            .build()))
                    .thenApply(page -> page.items().stream()
                            .map(item -> Timestamps.parse(EventTable.text(item, EventTable.RECEIVED_AT)))
                            .findFirst()));
        }
        return CompletableFuture.allOf(shards.toArray(CompletableFuture[]::new))
                .thenApply(all -> shards.stream()
                        .map(CompletableFuture::join)
                        .flatMap(Optional::stream)
                        .min(Comparator.naturalOrder()));
    }

    private QueryRequest.Builder indexQuery(String outbox, Optional<Position> after, int limit) {
        QueryRequest.Builder query = QueryRequest.builder()
                .tableName(tableName)
                .indexName(EventTable.OUTBOX_INDEX)
                .scanIndexForward(true)
                .limit(limit);
        after.filter(position -> position.outbox().equals(outbox))
                .ifPresent(position -> query.exclusiveStartKey(Map.of(
                        EventTable.FOLLOW_UP_OUTBOX, AttributeValue.fromS(position.outbox()),
                        EventTable.RECEIVED_AT, AttributeValue.fromS(position.receivedAt()),
                        EventTable.UNIQUE_ID, AttributeValue.fromS(position.uniqueId()))));
        return query;
    }

    private CompletableFuture<Boolean> mark(UpdateItemRequest update) {
        return withRetry(() -> dynamoDb.updateItem(update).handle((updated, error) -> {
            if (error == null) {
                return true;
            }
            if (AwsErrors.unwrap(error) instanceof ConditionalCheckFailedException) {
                return false;
            }
            throw new CompletionException(AwsErrors.unwrap(error));
        }));
    }

    /** The items the index's keys point to, read consistently, in the index's order. */
    private CompletableFuture<List<Map<String, AttributeValue>>> items(List<Map<String, AttributeValue>> keys) {
        if (keys.isEmpty()) {
            return CompletableFuture.completedFuture(List.of());
        }
        List<String> order = keys.stream()
                .map(key -> EventTable.text(key, EventTable.UNIQUE_ID))
                .distinct()
                .toList();
        Map<String, Map<String, AttributeValue>> found = new HashMap<>();
        CompletableFuture<Void> read = CompletableFuture.completedFuture(null);
        for (int from = 0; from < order.size(); from += MAX_KEYS_PER_READ) {
            List<Map<String, AttributeValue>> chunk =
                    order.subList(from, Math.min(from + MAX_KEYS_PER_READ, order.size())).stream()
                            .map(DynamoDbFollowUpOutbox::key)
                            .toList();
            read = read.thenCompose(previous -> readAll(chunk, found));
        }
        return read.thenApply(done ->
                order.stream().map(found::get).filter(item -> item != null).toList());
    }

    /** Reads {@code keys}, again for those DynamoDB left unprocessed, into {@code found}. */
    private CompletableFuture<Void> readAll(
            List<Map<String, AttributeValue>> keys, Map<String, Map<String, AttributeValue>> found) {
        if (keys.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        return withRetry(() -> dynamoDb.batchGetItem(request -> request.requestItems(Map.of(
                        tableName,
                        KeysAndAttributes.builder()
                                .keys(keys)
                                .consistentRead(true)
                                .build()))))
                .thenCompose((BatchGetItemResponse response) -> {
                    synchronized (found) {
                        response.responses()
                                .getOrDefault(tableName, List.of())
                                .forEach(item -> found.put(EventTable.text(item, EventTable.UNIQUE_ID), item));
                    }
                    KeysAndAttributes left = response.unprocessedKeys().get(tableName);
                    return readAll(left == null ? List.of() : left.keys(), found);
                });
    }

    private static List<Waiting> waiting(List<Map<String, AttributeValue>> items, FollowUpMark.Status status) {
        List<Waiting> waiting = new ArrayList<>(items.size());
        for (Map<String, AttributeValue> item : items) {
            EventTable.followUp(item)
                    .filter(mark -> mark.status() == status)
                    .ifPresent(mark -> waiting.add(new Waiting(
                            EventTable.storedEvent(item),
                            mark,
                            Optional.ofNullable(item.get(EventTable.FOLLOW_UP_ERROR))
                                    .map(AttributeValue::s)
                                    .orElse(""))));
        }
        return waiting;
    }

    private <T> CompletableFuture<T> withRetry(Supplier<CompletionStage<T>> call) {
        return Retry.decorateCompletionStage(retry, retryScheduler, call).get().toCompletableFuture();
    }

    private static Map<String, AttributeValue> key(String uniqueId) {
        return Map.of(EventTable.UNIQUE_ID, AttributeValue.fromS(uniqueId));
    }
}
