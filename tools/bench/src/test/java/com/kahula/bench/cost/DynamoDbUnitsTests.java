package com.kahula.bench.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The units of a table's calls. The item below weighs 1107 bytes, counted by hand: unique_id 9 + u1 2, saga_id 7 + s1
 * 2, timestamp 9 + t 1, received_at 11 + r 1, follow_up_outbox 16 + pending-01 10, follow_up_status 16 + PENDING 7,
 * payload 7 + 1009: 11 + 9 + 10 + 12 + 26 + 23 + 1016.
 */
class DynamoDbUnitsTests {

    private static final String TABLE = "events";
    private static final String PAYLOAD = "x".repeat(1009);
    private static final String ITEM = """
            {"unique_id": {"S": "u1"}, "saga_id": {"S": "s1"}, "timestamp": {"S": "t"}, "received_at": {"S": "r"},
             "follow_up_outbox": {"S": "pending-01"}, "follow_up_status": {"S": "PENDING"},
             "payload": {"S": "%s"}}""".formatted(PAYLOAD);
    private static final AwsCall PUT =
            call("PutItem", "{\"TableName\": \"events\", \"Item\": " + ITEM + "}", 200, "{}");
    private static final AwsCall DUPLICATE = call(
            "PutItem",
            "{\"TableName\": \"events\", \"Item\": " + ITEM + "}",
            400,
            "{\"__type\": \"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException\"}");
    private static final AwsCall MARK = call("UpdateItem", """
            {"TableName": "events", "Key": {"unique_id": {"S": "u1"}},
             "UpdateExpression": "SET #status = :emitted REMOVE #outbox",
             "ExpressionAttributeNames": {"#status": "follow_up_status", "#outbox": "follow_up_outbox"},
             "ExpressionAttributeValues": {":emitted": {"S": "EMITTED"}}}""", 200, "{}");

    @Test
    void aWriteOfTheTableCostsTheItemsKilobytesAndEachIndexItsEntrys() {
        var units = DynamoDbUnits.of(shape(true), List.of(PUT));

        // the saga index's entry is the whole item and 100 bytes, 1207; the outbox's its three keys and 100, 149
        assertThat(units.writeUnits()).isEqualTo(Map.of(DynamoDbUnits.TABLE, 2L, "saga-index", 2L, "outbox-index", 1L));
        assertThat(units.storedBytes()).isEqualTo(1107 + 100 + 1207 + 149);
    }

    @Test
    void aFailedConditionCostsTheTableAndNoIndex() {
        var units = DynamoDbUnits.of(shape(true), List.of(PUT, DUPLICATE));

        assertThat(units.writeUnits()).isEqualTo(Map.of(DynamoDbUnits.TABLE, 4L, "saga-index", 2L, "outbox-index", 1L));
        assertThat(units.requests()).isEqualTo(Map.of("PutItem", 2L));
    }

    @Test
    void anUpdateCostsTheLargerImageAndReachesAnIndexThatProjectsWhatChangedOrLosesItsKey() {
        var projectingAll = DynamoDbUnits.of(shape(true), List.of(PUT, MARK));
        var keysOnly = DynamoDbUnits.of(shape(false), List.of(PUT, MARK));

        // the table: the larger of 1107 and 1081 bytes; the outbox: its entry deleted; the saga index projecting all
        // rewrites its entry (1181 bytes), keeping keys only it has nothing to change
        assertThat(projectingAll.writeUnits())
                .isEqualTo(Map.of(DynamoDbUnits.TABLE, 4L, "saga-index", 4L, "outbox-index", 2L));
        // the saga index's keys-only entry: unique_id 11, saga_id 9, timestamp 10 and 100
        assertThat(keysOnly.writeUnits())
                .isEqualTo(Map.of(DynamoDbUnits.TABLE, 4L, "saga-index", 1L, "outbox-index", 2L));
        assertThat(keysOnly.storedBytes()).isEqualTo(1081 + 100 + 130);
    }

    @Test
    void aChangeOfAnIndexKeyIsADeleteAndAPut() {
        var reject = call("UpdateItem", """
                {"TableName": "events", "Key": {"unique_id": {"S": "u1"}},
                 "UpdateExpression": "SET #outbox = :rejected",
                 "ExpressionAttributeNames": {"#outbox": "follow_up_outbox"},
                 "ExpressionAttributeValues": {":rejected": {"S": "rejected"}}}""", 200, "{}");

        var units = DynamoDbUnits.of(shape(false), List.of(PUT, reject));

        assertThat(units.writeUnits().get("outbox-index")).isEqualTo(3L);
    }

    @Test
    void readsCountHalvesByTheBytesReturned() {
        var get = call(
                "GetItem",
                "{\"TableName\": \"events\", \"Key\": {\"unique_id\": {\"S\": \"u1\"}}, \"ConsistentRead\": true}",
                200,
                "{\"Item\": " + ITEM + "}");
        var query = call(
                "Query",
                "{\"TableName\": \"events\", \"IndexName\": \"outbox-index\"}",
                200,
                "{\"Items\": [], \"Count\": 0}");

        var units = DynamoDbUnits.of(shape(true), List.of(PUT, get, query));

        assertThat(units.readHalfUnits()).isEqualTo(Map.of(DynamoDbUnits.TABLE, 2L, "outbox-index", 1L));
        assertThat(units.totalReadUnits()).isEqualTo(1.5);
    }

    @Test
    void leavesOutOtherTablesRefusedCallsAndTheControlPlane() {
        var otherTable = call("PutItem", "{\"TableName\": \"other\", \"Item\": " + ITEM + "}", 200, "{}");
        var throttled = call(
                "PutItem",
                "{\"TableName\": \"events\", \"Item\": " + ITEM + "}",
                400,
                "{\"__type\": \"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException\"}");
        var describe = call("DescribeTable", "{\"TableName\": \"events\"}", 200, "{\"Table\": {}}");

        var units = DynamoDbUnits.of(shape(true), List.of(otherTable, throttled, describe));

        assertThat(units.writeUnits()).isEmpty();
        assertThat(units.requests()).isEqualTo(Map.of("PutItem", 1L, "DescribeTable", 1L));
    }

    @Test
    void refusesToPriceTransactions() {
        var transaction = call(
                "TransactWriteItems",
                "{\"TransactItems\": [{\"Put\": {\"TableName\": \"events\", \"Item\": " + ITEM + "}}]}",
                200,
                "{}");
        var elsewhere = call(
                "TransactWriteItems",
                "{\"TransactItems\": [{\"Put\": {\"TableName\": \"other\", \"Item\": " + ITEM + "}}]}",
                200,
                "{}");

        assertThatThrownBy(() -> DynamoDbUnits.of(shape(true), List.of(transaction)))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("TransactWriteItems");
        assertThat(DynamoDbUnits.of(shape(true), List.of(elsewhere)).writeUnits())
                .isEmpty();
    }

    private static TableShape shape(boolean sagaProjectsAll) {
        return new TableShape(
                TABLE,
                List.of("unique_id"),
                List.of(
                        new TableShape.Index("saga-index", List.of("saga_id", "timestamp"), sagaProjectsAll, Set.of()),
                        new TableShape.Index(
                                "outbox-index", List.of("follow_up_outbox", "received_at"), false, Set.of())));
    }

    static AwsCall call(String operation, String request, int status, String answer) {
        return new AwsCall(
                "DynamoDB_20120810." + operation,
                request.getBytes(StandardCharsets.UTF_8),
                status,
                answer.getBytes(StandardCharsets.UTF_8));
    }
}
