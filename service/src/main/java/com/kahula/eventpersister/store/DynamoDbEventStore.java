package com.kahula.eventpersister.store;

import com.kahula.eventpersister.aws.AwsErrors;
import com.kahula.eventpersister.event.StoredEvent;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.retry.Retry;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * Stores events with a conditional PutItem so that a unique id is written once; on a failed condition it tells a
 * duplicate from a conflict by the payload hash of the stored item.
 */
public final class DynamoDbEventStore implements EventStore {

    private static final String NOT_YET_STORED = "attribute_not_exists(" + EventTable.UNIQUE_ID + ")";
    private static final String PROBE_ID = "event-persister-probe";

    private final DynamoDbAsyncClient dynamoDb;
    private final String tableName;
    private final Retry retry;
    private final ScheduledExecutorService retryScheduler;
    private final CircuitBreaker circuitBreaker;

    /**
     * @param circuitBreaker counts each attempt of a write: once it opens, writes fail at once ({@link
     *     CallNotPermittedException}) until {@link #probe()} finds the table answering again
     */
    public DynamoDbEventStore(
            DynamoDbAsyncClient dynamoDb,
            String tableName,
            Retry retry,
            ScheduledExecutorService retryScheduler,
            CircuitBreaker circuitBreaker) {
        this.dynamoDb = dynamoDb;
        this.tableName = tableName;
        this.retry = retry;
        this.retryScheduler = retryScheduler;
        this.circuitBreaker = circuitBreaker;
    }

    /**
     * Whether a failed write says the table is unavailable to this service, as the circuit breaker counts it: every
     * failure that reaches it (the store's refusal of one event's content and a failed condition are answers, not
     * failures), whether an outage, throttling or a lost permission.
     */
    public static boolean countsAgainstTheStore(Throwable error) {
        return !(AwsErrors.unwrap(error) instanceof StoredItemVanished);
    }

    /** Throttling, 5xx answers and client-side failures (timeouts, lost connections) are worth another attempt. */
    public static boolean isTransient(Throwable error) {
        return AwsErrors.isTransient(error) || AwsErrors.unwrap(error) instanceof StoredItemVanished;
    }

    @Override
    public CompletableFuture<SaveResult> save(StoredEvent event, Optional<FollowUpMark> followUp) {
        return withRetry(circuitBreaker.decorateCompletionStage(() -> attempt(event, followUp)));
    }

    /**
     * A conditional PutItem whose condition can never hold: it writes nothing, and an answer of "condition failed"
     * proves that the table takes writes from this service again, permission included. Goes through the circuit
     * breaker, which lets it pass when half open and closes on its success.
     */
    @Override
    public CompletableFuture<Void> probe() {
        PutItemRequest probe = PutItemRequest.builder()
                .tableName(tableName)
                .item(Map.of(EventTable.UNIQUE_ID, AttributeValue.fromS(PROBE_ID)))
                .conditionExpression("attribute_exists(#id) AND attribute_not_exists(#id)")
                .expressionAttributeNames(Map.of("#id", EventTable.UNIQUE_ID))
                .build();
        return circuitBreaker
                .<Void>decorateCompletionStage(() -> dynamoDb.putItem(probe).handle((written, error) -> {
                    if (error == null || AwsErrors.unwrap(error) instanceof ConditionalCheckFailedException) {
                        return null;
                    }
                    throw new CompletionException(AwsErrors.unwrap(error));
                }))
                .get()
                .toCompletableFuture();
    }

    private <T> CompletableFuture<T> withRetry(Supplier<CompletionStage<T>> call) {
        return Retry.decorateCompletionStage(retry, retryScheduler, call).get().toCompletableFuture();
    }

    private CompletableFuture<SaveResult> attempt(StoredEvent event, Optional<FollowUpMark> followUp) {
        Map<String, AttributeValue> item = EventTable.item(event, followUp);
        Optional<String> limitBroken = ItemLimits.broken(item);
        if (limitBroken.isPresent()) {
            return CompletableFuture.completedFuture(SaveResult.rejected(limitBroken.get()));
        }
        PutItemRequest put = PutItemRequest.builder()
                .tableName(tableName)
                .item(item)
                .conditionExpression(NOT_YET_STORED)
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                .build();
        return dynamoDb.putItem(put)
                .handle((response, error) -> {
                    if (error == null) {
                        return CompletableFuture.completedFuture(new SaveResult(SaveOutcome.STORED, followUp));
                    }
                    if (AwsErrors.unwrap(error) instanceof ConditionalCheckFailedException alreadyStored) {
                        return compareWithStored(event, alreadyStored);
                    }
                    if (AwsErrors.classify(error) == AwsErrors.Kind.ABOUT_THE_MESSAGE) {
                        return CompletableFuture.completedFuture(SaveResult.rejected(AwsErrors.message(error)));
                    }
                    return CompletableFuture.<SaveResult>failedFuture(AwsErrors.unwrap(error));
                })
                .thenCompose(outcome -> outcome);
    }

    private CompletableFuture<SaveResult> compareWithStored(
            StoredEvent event, ConditionalCheckFailedException alreadyStored) {
        if (alreadyStored.hasItem() && alreadyStored.item().containsKey(EventTable.PAYLOAD_HASH)) {
            return CompletableFuture.completedFuture(outcomeAgainst(event, alreadyStored.item()));
        }
        // Emulators such as dynalite do not return the old item: read it, consistently, to decide.
        GetItemRequest get = GetItemRequest.builder()
                .tableName(tableName)
                .key(Map.of(EventTable.UNIQUE_ID, AttributeValue.fromS(event.uniqueId())))
                .projectionExpression(String.join(
                        ",",
                        EventTable.PAYLOAD_HASH,
                        EventTable.FOLLOW_UP_STATUS,
                        EventTable.FOLLOW_UP_ID,
                        EventTable.FOLLOW_UP_TYPE))
                .consistentRead(true)
                .build();
        return dynamoDb.getItem(get).thenApply(response -> {
            if (!response.hasItem() || response.item().isEmpty()) {
                throw new StoredItemVanished(event.uniqueId());
            }
            return outcomeAgainst(event, response.item());
        });
    }

    private static SaveResult outcomeAgainst(StoredEvent event, Map<String, AttributeValue> stored) {
        AttributeValue storedHash = stored.get(EventTable.PAYLOAD_HASH);
        if (storedHash != null && event.payloadHash().equals(storedHash.s())) {
            return new SaveResult(SaveOutcome.DUPLICATE, EventTable.followUp(stored));
        }
        // a stored item always has its hash; an unreadable one is still another event
        return SaveResult.conflict(storedHash == null || storedHash.s() == null ? "(none)" : storedHash.s());
    }

    /** The item that failed the condition was deleted before it could be read: the save is simply tried again. */
    static final class StoredItemVanished extends RuntimeException {
        StoredItemVanished(String uniqueId) {
            super("the stored item " + uniqueId + " disappeared between the conditional put and the read");
        }
    }
}
