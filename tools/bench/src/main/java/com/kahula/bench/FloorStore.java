package com.kahula.bench;

import com.kahula.eventpersister.aws.AwsErrors;
import com.kahula.eventpersister.event.EventMapping;
import com.kahula.eventpersister.event.EventParser;
import com.kahula.eventpersister.event.ParseResult;
import com.kahula.eventpersister.event.StoredEvent;
import com.kahula.eventpersister.store.EventTable;
import com.kahula.eventpersister.store.FollowUpMark;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * The floors' work per message: the service's parse and canonical hash, its rule match, and one conditional PutItem of
 * the service's item (on a refused condition, the stored item's hash and follow-up state, read as the service reads
 * them where the refusal does not carry the item).
 */
final class FloorStore {

    private static final String NOT_YET_STORED = "attribute_not_exists(" + EventTable.UNIQUE_ID + ")";
    private static final String STORED_STATE = String.join(
            ",",
            EventTable.PAYLOAD_HASH,
            EventTable.FOLLOW_UP_STATUS,
            EventTable.FOLLOW_UP_ID,
            EventTable.FOLLOW_UP_TYPE);

    /** What became of one message: stored (or found stored), with the follow-up it still waits for, if any. */
    record Stored(boolean done, FloorFollowUps.@Nullable Pending pending) {
        static final Stored NOT_DONE = new Stored(false, null);
    }

    private final DynamoDbAsyncClient dynamoDb;
    private final EventParser parser = new EventParser(EventMapping.defaults(), 262_144);
    private final String table;
    private final FloorFollowUps followUps;

    FloorStore(DynamoDbAsyncClient dynamoDb, String table, FloorFollowUps followUps) {
        this.dynamoDb = dynamoDb;
        this.table = table;
        this.followUps = followUps;
    }

    FloorFollowUps followUps() {
        return followUps;
    }

    CompletableFuture<Stored> store(String body) {
        if (!(parser.parse(body, Instant.now()) instanceof ParseResult.Parsed parsed)) {
            return CompletableFuture.completedFuture(Stored.NOT_DONE);
        }
        StoredEvent event = parsed.event();
        Optional<FollowUpMark> mark = followUps.markFor(parsed);
        return dynamoDb.putItem(request -> request.tableName(table)
                        .item(EventTable.item(event, mark))
                        .conditionExpression(NOT_YET_STORED)
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD))
                .handle((written, error) -> {
                    if (error == null) {
                        return CompletableFuture.completedFuture(stored(event, mark));
                    }
                    if (AwsErrors.unwrap(error) instanceof ConditionalCheckFailedException refused) {
                        return storedBefore(event, refused);
                    }
                    return CompletableFuture.completedFuture(Stored.NOT_DONE);
                })
                .thenCompose(Function.identity());
    }

    /** The event stored already: its follow-up, if still PENDING, from the refusal or else read as the service does. */
    private CompletableFuture<Stored> storedBefore(StoredEvent event, ConditionalCheckFailedException refused) {
        if (refused.hasItem() && refused.item().containsKey(EventTable.PAYLOAD_HASH)) {
            return CompletableFuture.completedFuture(stored(event, EventTable.followUp(refused.item())));
        }
        return dynamoDb.getItem(request -> request.tableName(table)
                        .key(Map.of(EventTable.UNIQUE_ID, AttributeValue.fromS(event.uniqueId())))
                        .projectionExpression(STORED_STATE)
                        .consistentRead(true))
                .handle((read, error) -> error == null && read.hasItem()
                        ? stored(event, EventTable.followUp(read.item()))
                        : Stored.NOT_DONE);
    }

    private static Stored stored(StoredEvent event, Optional<FollowUpMark> followUp) {
        return new Stored(
                true,
                followUp.filter(FollowUpMark::isPending)
                        .map(mark -> new FloorFollowUps.Pending(event, mark))
                        .orElse(null));
    }
}
