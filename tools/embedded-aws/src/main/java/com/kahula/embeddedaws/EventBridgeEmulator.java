package com.kahula.embeddedaws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.event.ruler.GenericMachine;

/**
 * EventBridge over the AWS JSON 1.1 protocol: buses, rules with event-ruler patterns, SQS targets and PutEvents,
 * plus the fault injection and the record of accepted events that tests use.
 */
public final class EventBridgeEmulator {

    private static final Logger log = LoggerFactory.getLogger(EventBridgeEmulator.class);
    /** Numbers keep their exact written value through the envelope, as they do through EventBridge. */
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final int MAX_ENTRIES = 10;
    private static final int MAX_ENTRY_BYTES = 256 * 1024;
    // Bounds memory when the runnable application publishes for hours; tests clear it long before.
    private static final int MAX_RECORDED_EVENTS = 100_000;

    private final EventBuses buses = new EventBuses();
    private final PutEventsFaults faults = new PutEventsFaults();
    private final Deque<BusEvent> accepted = new ArrayDeque<>();
    private final LongAdder putEventsCalls = new LongAdder();
    private final LongAdder putEventsEntries = new LongAdder();
    private final SqsClient sqs;
    private final URI sqsEndpoint;

    EventBridgeEmulator(SqsClient sqs, URI sqsEndpoint) {
        this.sqs = sqs;
        this.sqsEndpoint = sqsEndpoint;
    }

    /** Events accepted by PutEvents since the last {@link #clearAcceptedEvents()}, oldest first. */
    public List<BusEvent> acceptedEvents() {
        synchronized (accepted) {
            return List.copyOf(accepted);
        }
    }

    public void clearAcceptedEvents() {
        synchronized (accepted) {
            accepted.clear();
        }
    }

    /** Fails this fraction (0..1) of the valid PutEvents entries with {@code ThrottlingException}; not delivered. */
    public void throttleEntries(double rate) {
        faults.throttleEntries(rate);
    }

    /** Answers every PutEvents request with this status and the error type AWS uses for it. */
    public void failRequests(int httpStatus) {
        faults.failRequests(httpStatus, PutEventsFaults.errorTypeFor(httpStatus));
    }

    /** Answers every PutEvents request with this status and AWS error type, e.g. 400 {@code ValidationException}. */
    public void failRequests(int httpStatus, String errorType) {
        faults.failRequests(httpStatus, errorType);
    }

    /** Refuses every valid entry with {@code errorCode} (e.g. MalformedDetail); not delivered. */
    public void rejectEntries(String errorCode) {
        faults.rejectEntries(errorCode);
    }

    /** Closes the connection of every PutEvents request without answering, as a network outage would. */
    public void down(boolean down) {
        faults.down(down);
    }

    public void clearFaults() {
        faults.clear();
    }

    /** PutEvents requests received, including those failed by fault injection. */
    public long putEventsCalls() {
        return putEventsCalls.sum();
    }

    /** PutEvents entries received, including those failed by fault injection. */
    public long putEventsEntries() {
        return putEventsEntries.sum();
    }

    /** PutEvents requests whose connection was closed without an answer by {@link #down(boolean)}. */
    public long droppedRequests() {
        return faults.droppedRequests();
    }

    /** PutEvents requests answered with the status of {@link #failRequests(int)}. */
    public long failedRequests() {
        return faults.failedRequests();
    }

    /** PutEvents entries refused by {@link #throttleEntries(double)}. */
    public long throttledEntries() {
        return faults.throttledEntries();
    }

    /** Handles one request; {@code target} is the X-Amz-Target header, e.g. {@code AWSEvents.PutEvents}. */
    AwsJsonResponse handle(String target, byte[] body) {
        try {
            var operation = target == null ? "" : target.substring(target.indexOf('.') + 1);
            var request = parseRequest(body);
            JsonNode result = switch (operation) {
                case "PutEvents" -> putEvents(request);
                case "CreateEventBus" -> createEventBus(request);
                case "DescribeEventBus" -> describeEventBus(request);
                case "DeleteEventBus" -> deleteEventBus(request);
                case "ListEventBuses" -> listEventBuses(request);
                case "PutRule" -> putRule(request);
                case "DescribeRule" -> describeRule(request);
                case "ListRules" -> listRules(request);
                case "DeleteRule" -> deleteRule(request);
                case "PutTargets" -> putTargets(request);
                case "RemoveTargets" -> removeTargets(request);
                case "ListTargetsByRule" -> listTargetsByRule(request);
                default ->
                    throw new AwsServiceException(400, "UnknownOperationException", "Unsupported operation: " + target);
            };
            return AwsJsonResponse.ok(result.toString());
        } catch (AwsServiceException e) {
            var error = NODES.objectNode().put("__type", e.type()).put("message", e.getMessage());
            return AwsJsonResponse.error(e, error.toString());
        }
    }

    private static ObjectNode parseRequest(byte[] body) {
        if (body.length == 0) {
            return NODES.objectNode();
        }
        try {
            if (JSON.readTree(body) instanceof ObjectNode request) {
                return request;
            }
        } catch (IOException e) {
            // answered below like AWS does for any unreadable body
        }
        throw new AwsServiceException(400, "SerializationException", "Request body is not a JSON object");
    }

    private ObjectNode putEvents(ObjectNode request) {
        var entries = request.path("Entries");
        putEventsCalls.increment();
        putEventsEntries.add(entries.size());
        faults.beforeRequest();
        if (!entries.isArray() || entries.isEmpty() || entries.size() > MAX_ENTRIES) {
            throw AwsServiceException.validation("Entries must contain between 1 and 10 entries.");
        }
        var results = NODES.arrayNode();
        var failed = 0;
        for (var entry : entries) {
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
            detail = JSON.readTree(entry.path("Detail").asText());
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
        for (var rule : bus.matching(envelope)) {
            rule.targets().values().forEach(target -> deliver(rule, target, envelopeJson));
        }
        record(new BusEvent(
                bus.name(),
                envelopeJson,
                envelope.path("detail-type").asText(),
                envelope.path("source").asText(),
                detail));
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

    private void deliver(EventBuses.Rule rule, ObjectNode target, String envelopeJson) {
        var arn = target.path("Arn").asText();
        var queueName = arn.substring(arn.lastIndexOf(':') + 1);
        try {
            sqs.sendMessage(send -> send.queueUrl(sqsEndpoint + "/" + EmbeddedAwsStack.ACCOUNT_ID + "/" + queueName)
                    .messageBody(envelopeJson));
        } catch (RuntimeException e) {
            // AWS drops a failed invocation silently too (FailedInvocations metric); the log says why
            log.warn("Rule {} could not deliver to {}: {}", rule.arn(), arn, e.toString());
        }
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

    private ObjectNode createEventBus(ObjectNode request) {
        var bus = buses.create(required(request, "Name"));
        return NODES.objectNode().put("EventBusArn", bus.arn());
    }

    private ObjectNode describeEventBus(ObjectNode request) {
        var bus = buses.bus(EventBuses.busName(request.path("Name").asText(null)));
        return NODES.objectNode().put("Name", bus.name()).put("Arn", bus.arn());
    }

    private ObjectNode deleteEventBus(ObjectNode request) {
        buses.delete(EventBuses.busName(required(request, "Name")));
        return NODES.objectNode();
    }

    private ObjectNode listEventBuses(ObjectNode request) {
        var prefix = request.path("NamePrefix").asText("");
        var list = NODES.arrayNode();
        buses.all().stream()
                .filter(bus -> bus.name().startsWith(prefix))
                .forEach(bus -> list.addObject().put("Name", bus.name()).put("Arn", bus.arn()));
        return NODES.objectNode().set("EventBuses", list);
    }

    private ObjectNode putRule(ObjectNode request) {
        var name = required(request, "Name");
        var pattern = request.path("EventPattern").asText(null);
        if (pattern == null) {
            throw AwsServiceException.validation(
                    "Parameter(s) EventPattern must be specified (the emulator does not schedule).");
        }
        try {
            new GenericMachine<String>().addRule(name, pattern);
        } catch (Exception e) {
            throw new AwsServiceException(
                    400, "InvalidEventPatternException", "Event pattern is not valid. Reason: " + e.getMessage());
        }
        var state = request.path("State").asText("ENABLED");
        if (!state.equals("ENABLED") && !state.equals("DISABLED")) {
            throw AwsServiceException.validation("State must be ENABLED or DISABLED, got " + state);
        }
        var rule = buses.putRule(busName(request), name, pattern, state);
        return NODES.objectNode().put("RuleArn", rule.arn());
    }

    private ObjectNode describeRule(ObjectNode request) {
        return describe(buses.bus(busName(request)).rule(required(request, "Name")));
    }

    private static ObjectNode describe(EventBuses.Rule rule) {
        return NODES.objectNode()
                .put("Name", rule.name())
                .put("Arn", rule.arn())
                .put("EventPattern", rule.eventPattern())
                .put("State", rule.state())
                .put("EventBusName", rule.busName())
                .put("CreatedBy", EmbeddedAwsStack.ACCOUNT_ID);
    }

    private ObjectNode listRules(ObjectNode request) {
        var prefix = request.path("NamePrefix").asText("");
        var list = NODES.arrayNode();
        buses.bus(busName(request)).rules().values().stream()
                .filter(rule -> rule.name().startsWith(prefix))
                .forEach(rule -> list.add(describe(rule)));
        return NODES.objectNode().set("Rules", list);
    }

    private ObjectNode deleteRule(ObjectNode request) {
        buses.deleteRule(
                busName(request),
                required(request, "Name"),
                request.path("Force").asBoolean(false));
        return NODES.objectNode();
    }

    private ObjectNode putTargets(ObjectNode request) {
        var accepted = new ArrayList<ObjectNode>();
        var failed = NODES.arrayNode();
        for (var target : request.path("Targets")) {
            var id = target.path("Id").asText("");
            var unsupported = unsupportedTargetReason(target);
            if (unsupported != null) {
                failed.addObject()
                        .put("TargetId", id)
                        .put("ErrorCode", "ValidationException")
                        .put("ErrorMessage", unsupported);
            } else {
                accepted.add((ObjectNode) target);
            }
        }
        buses.putTargets(busName(request), required(request, "Rule"), accepted);
        return failedEntries(failed);
    }

    /** Rejects what the emulator would otherwise silently deliver differently from AWS. */
    private static String unsupportedTargetReason(JsonNode target) {
        if (target.path("Id").asText("").isEmpty()) {
            return "Target Id is required.";
        }
        if (!target.path("Arn").asText("").startsWith("arn:aws:sqs:")) {
            return "The emulator only delivers to SQS queue targets: "
                    + target.path("Arn").asText();
        }
        for (var field : List.of("Input", "InputPath", "InputTransformer")) {
            if (target.has(field)) {
                return "The emulator delivers the whole event only; " + field + " is not supported.";
            }
        }
        return null;
    }

    private ObjectNode removeTargets(ObjectNode request) {
        var ids = new ArrayList<String>();
        request.path("Ids").forEach(id -> ids.add(id.asText()));
        buses.removeTargets(busName(request), required(request, "Rule"), ids);
        return failedEntries(NODES.arrayNode());
    }

    private ObjectNode listTargetsByRule(ObjectNode request) {
        var rule = buses.bus(busName(request)).rule(required(request, "Rule"));
        var targets = NODES.arrayNode().addAll(rule.targets().values());
        return NODES.objectNode().set("Targets", targets);
    }

    private static ObjectNode failedEntries(ArrayNode failed) {
        var response = NODES.objectNode().put("FailedEntryCount", failed.size());
        response.set("FailedEntries", failed);
        return response;
    }

    private static String busName(ObjectNode request) {
        return EventBuses.busName(request.path("EventBusName").asText(null));
    }

    private static String required(ObjectNode request, String field) {
        var value = request.path(field).asText("");
        if (value.isEmpty()) {
            throw AwsServiceException.validation("Parameter %s is required.".formatted(field));
        }
        return value;
    }
}
