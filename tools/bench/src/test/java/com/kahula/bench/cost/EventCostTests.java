package com.kahula.bench.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A drain of ten source events, one of which caused a follow-up the bus took and another one it refused; each expected
 * figure is worked out by hand in its comment, from the list prices.
 */
class EventCostTests {

    private static final List<Integer> TEN_SOURCES_OF_1100_BYTES = Collections.nCopies(10, 1100);

    @Test
    void countsEachKindOfRequestPerSourceEventAndTheBussDeliveries() {
        var cost = EventCost.of(
                TEN_SOURCES_OF_1100_BYTES, units(20), sqsCalls(), putEvents(), 1.0, EventCost.Task.DEFAULT);

        assertThat(cost.sourceEvents()).isEqualTo(10);
        assertThat(cost.writeUnits()).isEqualTo(Map.of(DynamoDbUnits.TABLE, 2.0));
        // two receives, one delete batch, one send to the dead-letter queue, one GetQueueUrl; ten sources and the
        // one follow-up the bus took, delivered to the queue
        assertThat(cost.sqsRequests())
                .isEqualTo(
                        Map.of("receive", 0.2, "delete", 0.1, "send", 0.1, "other", 0.1, EventCost.BUS_DELIVERY, 1.1));
        assertThat(cost.putEventsRequests()).isEqualTo(0.1);
        assertThat(cost.putEventsEntries()).isEqualTo(0.1);
        // eleven records on the bus, each under 5 KB: 11 x 5120 / 10
        assertThat(cost.firehoseBilledBytes()).isEqualTo(5632.0);
        // unrounded: ten of 1100 bytes and the follow-up's 200 + 2 + 16 + 1, over ten
        assertThat(cost.archivedBytes()).isEqualTo(1121.9);
        assertThat(cost.cpuMillis()).isEqualTo(1.0);
    }

    @Test
    void pricesAMillionSourceEvents() {
        var dollars = EventCost.of(
                        TEN_SOURCES_OF_1100_BYTES, units(20), sqsCalls(), putEvents(), 1.0, EventCost.Task.DEFAULT)
                .perMillion();

        // 2 write units an event, $0.625 a million
        assertThat(dollars.dynamoDbWrites()).isCloseTo(1.25, offset(1e-9));
        // 5 requests of the contestant and 11 deliveries, 1.6 an event, $0.40 a million
        assertThat(dollars.sqs()).isCloseTo(0.64, offset(1e-9));
        // 0.1 entry an event, $1.00 a million
        assertThat(dollars.eventBridge()).isCloseTo(0.10, offset(1e-9));
        // 5632 bytes an event: 5632e6 / 2^30 GB x $0.029
        assertThat(dollars.firehose()).isCloseTo(0.152111, offset(1e-6));
        // 1 ms of CPU an event: 1e6 ms = 1000 s = 0.27778 vCPU-hours, 0.55556 task-hours of 0.5 vCPU at
        // 0.5 x $0.03238 + 1 x $0.00356 = $0.01975
        assertThat(dollars.compute()).isCloseTo(0.010972, offset(1e-6));
        assertThat(dollars.total()).isCloseTo(1.25 + 0.64 + 0.10 + 0.152111 + 0.010972, offset(1e-5));
    }

    private static TableUnits units(long tableWriteUnits) {
        return new TableUnits(Map.of(DynamoDbUnits.TABLE, tableWriteUnits), Map.of(), Map.of(), 0);
    }

    private static List<AwsCall> sqsCalls() {
        return List.of(
                call("AmazonSQS.GetQueueUrl", "{}", 200, ""),
                call("AmazonSQS.ReceiveMessage", "{}", 200, "{\"Messages\": []}"),
                call("AmazonSQS.ReceiveMessage", "{}", 200, "{\"Messages\": []}"),
                call("AmazonSQS.DeleteMessageBatch", "{}", 200, ""),
                call("AmazonSQS.SendMessage", "{}", 200, ""));
    }

    private static List<AwsCall> putEvents() {
        return List.of(call("AWSEvents.PutEvents", """
                {"Entries": [{"Detail": "{}", "DetailType": "ValidatableEvent", "Source": "s"},
                             {"Detail": "{}", "DetailType": "ValidatableEvent", "Source": "s"}]}""", 200, """
                {"FailedEntryCount": 1, "Entries": [{"EventId": "e1"}, {"ErrorCode": "InternalFailure"}]}"""));
    }

    private static AwsCall call(String action, String request, int status, String answer) {
        return new AwsCall(
                action, request.getBytes(StandardCharsets.UTF_8), status, answer.getBytes(StandardCharsets.UTF_8));
    }
}
