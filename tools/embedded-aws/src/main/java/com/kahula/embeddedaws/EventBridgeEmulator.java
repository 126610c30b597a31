package com.kahula.embeddedaws;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import software.amazon.awssdk.services.sqs.SqsClient;

/** EventBridge over the AWS JSON 1.1 protocol: routes each operation to its handler; holds the faults tests set. */
public final class EventBridgeEmulator {

    /** Numbers keep their exact written value through the envelope, as they do through EventBridge. */
    static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final PutEventsFaults faults = new PutEventsFaults();
    private final BusAdministration administration;
    private final PutEventsHandler putEvents;

    EventBridgeEmulator(SqsClient sqs, URI sqsEndpoint) {
        var buses = new EventBuses();
        this.administration = new BusAdministration(buses);
        this.putEvents = new PutEventsHandler(buses, faults, new TargetDelivery(sqs, sqsEndpoint));
    }

    /** Events accepted by PutEvents since the last {@link #clearAcceptedEvents()}, oldest first. */
    public List<BusEvent> acceptedEvents() {
        return putEvents.acceptedEvents();
    }

    public void clearAcceptedEvents() {
        putEvents.clearAcceptedEvents();
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
        return putEvents.calls();
    }

    /** PutEvents entries received, including those failed by fault injection. */
    public long putEventsEntries() {
        return putEvents.entries();
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
                case "PutEvents" -> putEvents.putEvents(request);
                case "CreateEventBus" -> administration.createEventBus(request);
                case "DescribeEventBus" -> administration.describeEventBus(request);
                case "DeleteEventBus" -> administration.deleteEventBus(request);
                case "ListEventBuses" -> administration.listEventBuses(request);
                case "PutRule" -> administration.putRule(request);
                case "DescribeRule" -> administration.describeRule(request);
                case "ListRules" -> administration.listRules(request);
                case "DeleteRule" -> administration.deleteRule(request);
                case "PutTargets" -> administration.putTargets(request);
                case "RemoveTargets" -> administration.removeTargets(request);
                case "ListTargetsByRule" -> administration.listTargetsByRule(request);
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
}
