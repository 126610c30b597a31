package com.kahula.eventpersister.toolkit;

import com.kahula.eventpersister.store.EventTable;
import com.kahula.eventpersister.store.FollowUpMark;
import java.util.Map;
import java.util.function.Consumer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * Puts into the outbox index the items left PENDING before it existed, once: a Scan for PENDING items without {@code
 * follow_up_outbox}, then for each a conditional UpdateItem that sets it to the item's shard, unless the item changed
 * meanwhile (a redelivery or the sweeper marked it). A second run finds nothing to do.
 */
final class DynamoDbOutboxBackfill {

    /** What a run read and did: items the Scan read, PENDING ones outside the outbox, put in it, changed meanwhile. */
    record Counts(long scanned, long found, long indexed, long changed) {

        Counts plus(Counts other) {
            return new Counts(
                    scanned + other.scanned, found + other.found, indexed + other.indexed, changed + other.changed);
        }
    }

    private static final String STILL_OUTSIDE = "#status = :pending AND attribute_not_exists(#outbox)";

    private final DynamoDbClient dynamoDb;
    private final String table;

    DynamoDbOutboxBackfill(DynamoDbClient dynamoDb, String table) {
        this.dynamoDb = dynamoDb;
        this.table = table;
    }

    /** Backfills the whole table ({@code dryRun}: only counts), reporting the running counts after each page. */
    Counts run(boolean dryRun, Consumer<Counts> progress) {
        Counts total = new Counts(0, 0, 0, 0);
        // No index holds these items: a Scan reads the whole table, the filter only trims what comes back.
        for (ScanResponse page : dynamoDb.scanPaginator(request -> request.tableName(table)
                .filterExpression(STILL_OUTSIDE)
                .projectionExpression("#id")
                .expressionAttributeNames(Map.of(
                        "#id", EventTable.UNIQUE_ID,
                        "#status", EventTable.FOLLOW_UP_STATUS,
                        "#outbox", EventTable.FOLLOW_UP_OUTBOX))
                .expressionAttributeValues(
                        Map.of(":pending", AttributeValue.fromS(FollowUpMark.Status.PENDING.name()))))) {
            long indexed = 0;
            long changed = 0;
            for (Map<String, AttributeValue> item : page.items()) {
                if (dryRun) {
                    continue;
                }
                AttributeValue uniqueId = item.get(EventTable.UNIQUE_ID);
                if (uniqueId == null) {
                    throw new IllegalStateException("an item of the table lacks its " + EventTable.UNIQUE_ID);
                }
                if (putInTheOutbox(uniqueId.s())) {
                    indexed++;
                } else {
                    changed++;
                }
            }
            total = total.plus(new Counts(page.scannedCount(), page.count(), indexed, changed));
            progress.accept(total);
        }
        return total;
    }

    /** Sets the item's outbox shard; false when it is no longer PENDING outside the outbox. */
    private boolean putInTheOutbox(String uniqueId) {
        try {
            dynamoDb.updateItem(request -> request.tableName(table)
                    .key(Map.of(EventTable.UNIQUE_ID, AttributeValue.fromS(uniqueId)))
                    .updateExpression("SET #outbox = :shard")
                    .conditionExpression(STILL_OUTSIDE)
                    .expressionAttributeNames(
                            Map.of("#status", EventTable.FOLLOW_UP_STATUS, "#outbox", EventTable.FOLLOW_UP_OUTBOX))
                    .expressionAttributeValues(Map.of(
                            ":pending", AttributeValue.fromS(FollowUpMark.Status.PENDING.name()),
                            ":shard", AttributeValue.fromS(EventTable.pendingShard(uniqueId)))));
            return true;
        } catch (ConditionalCheckFailedException moved) {
            return false;
        }
    }
}
