package com.kahula.bench.cost;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a drain cost per source event (an event a producer put on the bus; its duplicates, which are the queue's
 * redeliveries, and its follow-up are part of its cost; its own PutEvents is the producer's bill), from the calls the
 * contestant made on the wire and {@link ListPrices}: DynamoDB units by target, SQS requests by kind, PutEvents
 * entries; and computed, because nothing here emulates them as AWS bills them: the bus's deliveries of each event on the
 * bus (the source events and the follow-ups it accepted) to the queue, each a SendMessage, and to the archive's Firehose
 * stream, each record rounded up to 5 KB.
 */
public record EventCost(
        int sourceEvents,
        Map<String, Double> writeUnits,
        double readUnits,
        Map<String, Double> sqsRequests,
        double putEventsRequests,
        double putEventsEntries,
        double firehoseBilledBytes,
        double archivedBytes,
        double storedBytes,
        double cpuMillis,
        Dollars perMillion) {

    /**
     * Bytes of an event's envelope on the bus besides its detail, detail-type and source (version, id, account, time,
     * region, resources and the JSON around them): what the archive's record of a follow-up weighs on top of its entry.
     */
    static final int ENVELOPE_BYTES = 200;

    /** The SQS requests the bus makes: one SendMessage per event on the bus, to the queue the rule targets. */
    public static final String BUS_DELIVERY = "bus delivery";

    public EventCost {
        writeUnits = Map.copyOf(writeUnits);
        sqsRequests = Map.copyOf(sqsRequests);
    }

    /** Dollars per million source events at list prices, by service; compute is the task's at full use of its CPU. */
    public record Dollars(
            double dynamoDbWrites,
            double dynamoDbReads,
            double sqs,
            double eventBridge,
            double firehose,
            double compute) {

        public double total() {
            return dynamoDbWrites + dynamoDbReads + sqs + eventBridge + firehose + compute;
        }
    }

    /** The task a contestant's CPU is priced on: its vCPU and memory (the template's defaults). */
    public record Task(double vcpu, double gb) {

        public static final Task DEFAULT = new Task(0.5, 1.0);

        /** Dollars of an hour of the task. */
        double dollarsAnHour() {
            return ListPrices.fargateTaskHour(vcpu, gb);
        }

        /** Dollars of the task's time spent on {@code cpuMillis} of CPU, at full use of its vCPU. */
        double dollarsOf(double cpuMillis) {
            return cpuMillis / 1000 / 3600 / vcpu * ListPrices.fargateTaskHour(vcpu, gb);
        }
    }

    /**
     * @param sourceRecordBytes the size of each source event's envelope as the bus would hand it to the archive
     * @param cpuMillisPerSourceEvent the contestant's CPU per source event
     */
    public static EventCost of(
            List<Integer> sourceRecordBytes,
            TableUnits dynamoDb,
            List<AwsCall> sqs,
            List<AwsCall> eventBridge,
            double cpuMillisPerSourceEvent,
            Task task) {
        int sourceEvents = sourceRecordBytes.size();
        Map<String, Double> writeUnits = new TreeMap<>();
        dynamoDb.writeUnits().forEach((target, units) -> writeUnits.put(target, units / (double) sourceEvents));
        double readUnits = dynamoDb.totalReadUnits() / sourceEvents;

        Map<String, Long> requests = new TreeMap<>();
        long billedSqs = 0;
        for (AwsCall call : sqs) {
            requests.merge(sqsKind(call.operation()), 1L, Long::sum);
            billedSqs += chunks(Math.max(call.request().length, call.answer().length));
        }
        long putEvents = 0;
        long accepted = 0;
        long firehoseBytes = 0;
        long archivedBytes = 0;
        for (AwsCall call : eventBridge) {
            if (!call.operation().equals("PutEvents") || !call.succeeded()) {
                continue;
            }
            putEvents++;
            JsonNode answer = call.answerJson();
            int failed = answer.path("FailedEntryCount").asInt();
            JsonNode results = answer.path("Entries");
            int index = 0;
            for (JsonNode entry : call.requestJson().path("Entries")) {
                boolean entryAccepted = failed == 0 || !results.path(index).has("ErrorCode");
                if (entryAccepted) {
                    accepted++;
                    long record = ENVELOPE_BYTES
                            + ItemSizes.utf8(entry.path("Detail").asText())
                            + ItemSizes.utf8(entry.path("DetailType").asText())
                            + ItemSizes.utf8(entry.path("Source").asText());
                    firehoseBytes += firehoseBilled(record);
                    archivedBytes += record;
                }
                index++;
            }
        }
        for (int bytes : sourceRecordBytes) {
            firehoseBytes += firehoseBilled(bytes);
            archivedBytes += bytes;
        }
        long deliveries = sourceEvents + accepted;
        requests.put(BUS_DELIVERY, deliveries);
        billedSqs += deliveries;

        Map<String, Double> sqsRequests = new TreeMap<>();
        requests.forEach((kind, count) -> sqsRequests.put(kind, count / (double) sourceEvents));
        double million = 1_000_000.0 / sourceEvents;
        Dollars dollars = new Dollars(
                dynamoDb.totalWriteUnits() * million / 1e6 * ListPrices.DYNAMODB_PER_MILLION_WRITE_UNITS,
                dynamoDb.totalReadUnits() * million / 1e6 * ListPrices.DYNAMODB_PER_MILLION_READ_UNITS,
                billedSqs * million / 1e6 * ListPrices.SQS_PER_MILLION_REQUESTS,
                accepted * million / 1e6 * ListPrices.EVENTBRIDGE_PER_MILLION_EVENTS,
                firehoseBytes * million / ListPrices.GB * ListPrices.FIREHOSE_PER_GB,
                task.dollarsOf(cpuMillisPerSourceEvent) * 1_000_000);
        return new EventCost(
                sourceEvents,
                writeUnits,
                readUnits,
                sqsRequests,
                putEvents / (double) sourceEvents,
                accepted / (double) sourceEvents,
                firehoseBytes / (double) sourceEvents,
                archivedBytes / (double) sourceEvents,
                dynamoDb.storedBytes() / (double) sourceEvents,
                cpuMillisPerSourceEvent,
                dollars);
    }

    public double totalWriteUnits() {
        return writeUnits.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    public double totalSqsRequests() {
        return sqsRequests.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    static String sqsKind(String operation) {
        return switch (operation) {
            case "ReceiveMessage" -> "receive";
            case "DeleteMessage", "DeleteMessageBatch" -> "delete";
            case "SendMessage", "SendMessageBatch" -> "send";
            case "ChangeMessageVisibility", "ChangeMessageVisibilityBatch" -> "visibility";
            default -> "other";
        };
    }

    private static long chunks(long bytes) {
        return Math.max(1, Math.ceilDiv(bytes, ListPrices.CHUNK));
    }

    private static long firehoseBilled(long bytes) {
        return Math.max(1, Math.ceilDiv(bytes, ListPrices.FIREHOSE_RECORD_INCREMENT))
                * ListPrices.FIREHOSE_RECORD_INCREMENT;
    }
}
