package com.kahula.eventpersister.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.kahula.eventpersister.event.StoredEvent;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * The duplicate and conflict decision on DynamoDB's own answers, including the old item a failed condition returns,
 * which the emulators never send.
 */
class DynamoDbEventStoreTests {

    private static final String HASH = "1".repeat(64);
    private static final String OTHER_HASH = "2".repeat(64);
    private static final String FOLLOW_UP_ID = "43306142-cc90-5f42-b707-3230affe6d8e";

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final ScriptedDynamoDb dynamoDb = new ScriptedDynamoDb();
    private final StoredEvent event = event("p-1", HASH);

    @AfterEach
    void stopScheduler() throws InterruptedException {
        scheduler.shutdownNow();
        assertThat(scheduler.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void storesANewEventWithAPutThatAsksForTheOldItemIfItsConditionFails() {
        dynamoDb.putAnswers.add(
                CompletableFuture.completedFuture(PutItemResponse.builder().build()));
        Optional<FollowUpMark> mark = Optional.of(FollowUpMark.pending(FOLLOW_UP_ID, "ValidatableEvent"));

        SaveResult result = save(event, mark);

        assertThat(result).isEqualTo(new SaveResult(SaveOutcome.STORED, mark));
        PutItemRequest put = dynamoDb.puts.getFirst();
        assertThat(put.conditionExpression()).isEqualTo("attribute_not_exists(unique_id)");
        assertThat(put.returnValuesOnConditionCheckFailure()).isEqualTo(ReturnValuesOnConditionCheckFailure.ALL_OLD);
        assertThat(put.item()).containsEntry("payload_hash", AttributeValue.fromS(HASH));
    }

    @Test
    void aFailedConditionWhoseOldItemHasTheSameHashIsADuplicateWithItsPendingFollowUpAndNoRead() {
        dynamoDb.putAnswers.add(alreadyStored(storedItem(HASH, "PENDING")));

        SaveResult result = save(event, Optional.empty());

        assertThat(result)
                .isEqualTo(new SaveResult(
                        SaveOutcome.DUPLICATE,
                        Optional.of(new FollowUpMark(FOLLOW_UP_ID, "ValidatableEvent", FollowUpMark.Status.PENDING))));
        assertThat(result.followUpPending()).isTrue();
        assertThat(dynamoDb.gets).isEmpty();
    }

    @Test
    void aFailedConditionWhoseOldItemHasTheSameHashIsADuplicateWithItsEmittedFollowUpAndNoRead() {
        dynamoDb.putAnswers.add(alreadyStored(storedItem(HASH, "EMITTED")));

        SaveResult result = save(event, Optional.empty());

        assertThat(result)
                .isEqualTo(new SaveResult(
                        SaveOutcome.DUPLICATE,
                        Optional.of(new FollowUpMark(FOLLOW_UP_ID, "ValidatableEvent", FollowUpMark.Status.EMITTED))));
        assertThat(result.followUpPending()).isFalse();
        assertThat(dynamoDb.gets).isEmpty();
    }

    @Test
    void aFailedConditionWhoseOldItemHasNoFollowUpIsADuplicateWithout() {
        dynamoDb.putAnswers.add(alreadyStored(
                Map.of("unique_id", AttributeValue.fromS("p-1"), "payload_hash", AttributeValue.fromS(HASH))));

        assertThat(save(event, Optional.empty())).isEqualTo(new SaveResult(SaveOutcome.DUPLICATE, Optional.empty()));
        assertThat(dynamoDb.gets).isEmpty();
    }

    @Test
    void aFailedConditionWhoseOldItemHasAnotherHashIsAConflictNamingThatHashAndNoRead() {
        dynamoDb.putAnswers.add(alreadyStored(storedItem(OTHER_HASH, "PENDING")));

        SaveResult result = save(event, Optional.of(FollowUpMark.pending(FOLLOW_UP_ID, "ValidatableEvent")));

        assertThat(result).isEqualTo(SaveResult.conflict(OTHER_HASH));
        assertThat(dynamoDb.gets).isEmpty();
    }

    @Test
    void aConflictAndOnlyAConflictNamesTheStoredRowsHash() {
        assertThatThrownBy(() -> new SaveResult(SaveOutcome.CONFLICT, Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SaveResult(SaveOutcome.STORED, Optional.empty(), "", OTHER_HASH))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aFailedConditionWithoutTheOldItemAsDynaliteAnswersIsDecidedByAConsistentRead() {
        dynamoDb.putAnswers.add(alreadyStoredWithoutTheOldItem());
        dynamoDb.getAnswers.add(storedItem(HASH, "EMITTED"));

        SaveResult result = save(event, Optional.empty());

        assertThat(result)
                .isEqualTo(new SaveResult(
                        SaveOutcome.DUPLICATE,
                        Optional.of(new FollowUpMark(FOLLOW_UP_ID, "ValidatableEvent", FollowUpMark.Status.EMITTED))));
        assertThat(dynamoDb.gets).singleElement().satisfies(get -> {
            assertThat(get.key()).isEqualTo(Map.of("unique_id", AttributeValue.fromS("p-1")));
            assertThat(get.consistentRead()).isTrue();
        });
    }

    @Test
    void anOldItemWithoutItsHashIsReadAgainRatherThanTakenForAConflict() {
        dynamoDb.putAnswers.add(alreadyStored(Map.of("unique_id", AttributeValue.fromS("p-1"))));
        dynamoDb.getAnswers.add(storedItem(OTHER_HASH, "PENDING"));

        assertThat(save(event, Optional.empty())).isEqualTo(SaveResult.conflict(OTHER_HASH));
        assertThat(dynamoDb.gets).hasSize(1);
    }

    @Test
    void anItemDeletedBetweenTheFailedConditionAndTheReadIsSavedAgain() {
        dynamoDb.putAnswers.add(alreadyStoredWithoutTheOldItem());
        dynamoDb.getAnswers.add(Map.of());
        dynamoDb.putAnswers.add(
                CompletableFuture.completedFuture(PutItemResponse.builder().build()));
        DynamoDbEventStore store = new DynamoDbEventStore(
                dynamoDb,
                "events",
                Retry.of(
                        "store",
                        RetryConfig.custom()
                                .maxAttempts(2)
                                .waitDuration(Duration.ofMillis(1))
                                .retryOnException(DynamoDbEventStore::isTransient)
                                .build()),
                scheduler,
                CircuitBreaker.ofDefaults("store"));

        SaveResult result = store.save(event, Optional.empty()).join();

        assertThat(result).isEqualTo(new SaveResult(SaveOutcome.STORED, Optional.empty()));
        assertThat(dynamoDb.puts).hasSize(2);
        assertThat(dynamoDb.gets).hasSize(1);
    }

    @Test
    void anItemDeletedBetweenTheFailedConditionAndTheReadFailsTheSaveWhenNoAttemptIsLeft() {
        dynamoDb.putAnswers.add(alreadyStoredWithoutTheOldItem());
        dynamoDb.getAnswers.add(Map.of());

        CompletableFuture<SaveResult> saved = store().save(event, Optional.empty());

        assertThat(saved)
                .failsWithin(Duration.ofSeconds(5))
                .withThrowableThat()
                .havingRootCause()
                .isInstanceOf(DynamoDbEventStore.StoredItemVanished.class);
    }

    private SaveResult save(StoredEvent event, Optional<FollowUpMark> followUp) {
        return store().save(event, followUp).join();
    }

    private DynamoDbEventStore store() {
        return new DynamoDbEventStore(
                dynamoDb,
                "events",
                Retry.of("store", RetryConfig.custom().maxAttempts(1).build()),
                scheduler,
                CircuitBreaker.ofDefaults("store"));
    }

    /** DynamoDB's answer to a put whose condition failed, with the old item, as AWS answers {@code ALL_OLD}. */
    private static CompletableFuture<PutItemResponse> alreadyStored(Map<String, AttributeValue> oldItem) {
        return failed(conditionFailed().item(oldItem).build());
    }

    /** DynamoDB's answer to a put whose condition failed, without the old item, as dynalite answers. */
    private static CompletableFuture<PutItemResponse> alreadyStoredWithoutTheOldItem() {
        return failed(conditionFailed().build());
    }

    private static ConditionalCheckFailedException.Builder conditionFailed() {
        return ConditionalCheckFailedException.builder()
                .message("The conditional request failed")
                .statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder()
                        .errorCode("ConditionalCheckFailedException")
                        .errorMessage("The conditional request failed")
                        .serviceName("DynamoDb")
                        .build());
    }

    private static CompletableFuture<PutItemResponse> failed(ConditionalCheckFailedException failure) {
        // The SDK's asynchronous client completes its future with the service's exception wrapped so.
        return CompletableFuture.failedFuture(new CompletionException(failure));
    }

    private static Map<String, AttributeValue> storedItem(String hash, String followUpStatus) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("unique_id", AttributeValue.fromS("p-1"));
        item.put("payload_hash", AttributeValue.fromS(hash));
        item.put("aws_id", AttributeValue.fromS("bus-1"));
        item.put("follow_up_status", AttributeValue.fromS(followUpStatus));
        item.put("follow_up_id", AttributeValue.fromS(FOLLOW_UP_ID));
        item.put("follow_up_type", AttributeValue.fromS("ValidatableEvent"));
        return item;
    }

    private static StoredEvent event(String id, String hash) {
        return new StoredEvent(
                id,
                hash,
                id,
                "bus-1",
                "saga-1",
                "ProductUpdatedEvent",
                "com.kahula.catalog.ProductUpdatedEvent",
                "2026-11-27T10:00:00.000Z",
                "catalog",
                "kahula.catalog",
                "{\"id\":\"" + id + "\"}",
                "2026-11-27T10:00:01.000Z",
                null);
    }

    /** A DynamoDB that gives each PutItem and GetItem the next scripted answer and keeps the requests. */
    private static final class ScriptedDynamoDb implements DynamoDbAsyncClient {

        final Queue<CompletableFuture<PutItemResponse>> putAnswers = new ArrayDeque<>();
        final Queue<Map<String, AttributeValue>> getAnswers = new ArrayDeque<>();
        final List<PutItemRequest> puts = new CopyOnWriteArrayList<>();
        final List<GetItemRequest> gets = new CopyOnWriteArrayList<>();

        @Override
        public synchronized CompletableFuture<PutItemResponse> putItem(PutItemRequest request) {
            puts.add(request);
            CompletableFuture<PutItemResponse> answer = putAnswers.poll();
            return answer != null ? answer : CompletableFuture.failedFuture(new AssertionError("unexpected PutItem"));
        }

        @Override
        public synchronized CompletableFuture<GetItemResponse> getItem(GetItemRequest request) {
            gets.add(request);
            Map<String, AttributeValue> item = getAnswers.poll();
            if (item == null) {
                return CompletableFuture.failedFuture(new AssertionError("unexpected GetItem"));
            }
            // DynamoDB leaves Item out of the answer when there is no such item
            GetItemResponse.Builder response = GetItemResponse.builder();
            return CompletableFuture.completedFuture((item.isEmpty() ? response : response.item(item)).build());
        }

        @Override
        public CompletableFuture<UpdateItemResponse> updateItem(UpdateItemRequest request) {
            return CompletableFuture.failedFuture(new AssertionError("unexpected UpdateItem"));
        }

        @Override
        public String serviceName() {
            return SERVICE_NAME;
        }

        @Override
        public void close() {}
    }
}
