package com.kahula.embeddedaws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.LongAdder;

/** PutEvents: validates the request and each entry as AWS does, then delivers and records each accepted event. */
final class PutEventsHandler {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final int MAX_ENTRIES = 10;
    private static final int MAX_ENTRY_BYTES = 256 * 1024;
    // Bounds memory when the runnable application publishes for hours; tests clear it long before.
    private static final int MAX_RECORDED_EVENTS = 100_000;

    private final EventBuses buses;
    private final PutEventsFaults faults;
    private final TargetDelivery delivery;
    private final Deque<BusEvent> accepted = new ArrayDeque<>();
    private final LongAdder calls = new LongAdder();
    private final LongAdder entries = new LongAdder();

    PutEventsHandler(EventBuses buses, PutEventsFaults faults, TargetDelivery delivery) {
        this.buses = buses;
        this.faults = faults;
        this.delivery = delivery;
    }

    /** Events accepted since the last {@link #clearAcceptedEvents()}, oldest first. */
    List<BusEvent> acceptedEvents() {
        synchronized (accepted) {
            return List.copyOf(accepted);
        }
    }

    void clearAcceptedEvents() {
        synchronized (accepted) {
            accepted.clear();
        }
    }

    /** Requests received, including those failed by fault injection. */
    long calls() {
        return calls.sum();
    }

    /** Entries received, including those failed by fault injection. */
    long entries() {
        return entries.sum();
    }

    /** Answers a PutEvents request: a result per entry, an event id or an error code, in the request's order. */
    ObjectNode putEvents(ObjectNode request) {
        var requestEntries = request.path("Entries");
        calls.increment();
        entries.add(requestEntries.size());
        faults.beforeRequest();
        if (!requestEntries.isArray() || requestEntries.isEmpty() || requestEntries.size() > MAX_ENTRIES) {
            throw AwsServiceException.validation("Entries must contain between 1 and 10 entries.");
        }
        var results = NODES.arrayNode();
        var failed = 0;
        for (var entry : requestEntries) {
            var result = putEvent(entry);
            failed += result.has("ErrorCode") ? 1 : 0;
            results.add(result);
        }
        var response = NODES.objectNode().put("FailedEntryCount", failed);
        response.set("Entries", results);
        return response;
    }

    private ObjectNode putEvent(JsonNode entry) {
        for (var required : List.of("Source", "DetailType", "Detail")) {
            if (entry.path(required).asText("").isEmpty()) {
                return entryError(
                        "InvalidArgument",
                        "Parameter %s is not valid. Reason: %s is a required argument.".formatted(required, required));
            }
        }
        JsonNode detail;
        try {
            detail = EventBridgeEmulator.JSON.readTree(entry.path("Detail").asText());
        } catch (JsonProcessingException e) {
            detail = null;
        }
        if (detail == null || !detail.isObject()) {
            return entryError("MalformedDetail", "Detail is malformed.");
        }
        if (entrySize(entry) > MAX_ENTRY_BYTES) {
            return entryError("InvalidArgument", "Entry size exceeds the limit of 256 KB.");
        }
        var bus = buses.find(EventBuses.busName(entry.path("EventBusName").asText(null)));
        if (bus == null) {
            return entryError(
                    "ResourceNotFoundException",
                    "Event bus %s does not exist."
                            .formatted(entry.path("EventBusName").asText()));
        }
        var rejection = faults.entryRejection();
        if (rejection != null) {
            return entryError(rejection, "Injected fault: " + rejection);
        }
        if (faults.throttleNextEntry()) {
            return entryError("ThrottlingException", "Rate exceeded.");
        }
        var envelope = envelope(entry, (ObjectNode) detail);
        var envelopeJson = envelope.toString();
        // an entry's TraceHeader travels beside the event, never in it, as on AWS
        var traceHeader =
                entry.hasNonNull("TraceHeader") ? entry.path("TraceHeader").asText() : null;
        delivery.deliver(bus, envelope, envelopeJson, traceHeader);
        record(new BusEvent(
                bus.name(),
                envelopeJson,
                envelope.path("detail-type").asText(),
                envelope.path("source").asText(),
                detail,
                traceHeader));
        return NODES.objectNode().put("EventId", envelope.path("id").asText());
    }

    /** The envelope exactly as a rule's SQS target receives it, fields in AWS's order. */
    private static ObjectNode envelope(JsonNode entry, ObjectNode detail) {
        var time = entry.path("Time").isNumber()
                ? Instant.ofEpochMilli((long) (entry.path("Time").asDouble() * 1000))
                : Instant.now();
        var resources = NODES.arrayNode();
        entry.path("Resources").forEach(resources::add);
        var envelope = NODES.objectNode()
                .put("version", "0")
                .put("id", UUID.randomUUID().toString())
                .put("detail-type", entry.path("DetailType").asText())
                .put("source", entry.path("Source").asText())
                .put("account", EmbeddedAwsStack.ACCOUNT_ID)
                .put("time", time.truncatedTo(ChronoUnit.SECONDS).toString())
                .put("region", EmbeddedAwsStack.REGION);
        envelope.set("resources", resources);
        envelope.set("detail", detail);
        return envelope;
    }

    /** The entry size as AWS computes it for the 256 KB limit. */
    private static int entrySize(JsonNode entry) {
        var size = entry.has("Time") ? 14 : 0;
        for (var field : List.of("Source", "DetailType", "Detail")) {
            size += utf8Length(entry.path(field).asText());
        }
        for (var resource : entry.path("Resources")) {
            size += utf8Length(resource.asText());
        }
        return size;
    }

    private static int utf8Length(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    private void record(BusEvent event) {
        synchronized (accepted) {
            if (accepted.size() == MAX_RECORDED_EVENTS) {
                accepted.removeFirst();
            }
            accepted.addLast(event);
        }
    }

    private static ObjectNode entryError(String code, String message) {
        return NODES.objectNode().put("ErrorCode", code).put("ErrorMessage", message);
    }
}
