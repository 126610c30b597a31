package com.kahula.embeddedaws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import software.amazon.event.ruler.GenericMachine;

/** The EventBridge operations on buses, rules and targets: validates each request, then applies it to EventBuses. */
final class BusAdministration {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final EventBuses buses;

    BusAdministration(EventBuses buses) {
        this.buses = buses;
    }

    ObjectNode createEventBus(ObjectNode request) {
        var bus = buses.create(required(request, "Name"));
        return NODES.objectNode().put("EventBusArn", bus.arn());
    }

    ObjectNode describeEventBus(ObjectNode request) {
        var bus = buses.bus(EventBuses.busName(request.path("Name").asText(null)));
        return NODES.objectNode().put("Name", bus.name()).put("Arn", bus.arn());
    }

    ObjectNode deleteEventBus(ObjectNode request) {
        buses.delete(EventBuses.busName(required(request, "Name")));
        return NODES.objectNode();
    }

    ObjectNode listEventBuses(ObjectNode request) {
        var prefix = request.path("NamePrefix").asText("");
        var list = NODES.arrayNode();
        buses.all().stream()
                .filter(bus -> bus.name().startsWith(prefix))
                .forEach(bus -> list.addObject().put("Name", bus.name()).put("Arn", bus.arn()));
        return NODES.objectNode().set("EventBuses", list);
    }

    ObjectNode putRule(ObjectNode request) {
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

    ObjectNode describeRule(ObjectNode request) {
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

    ObjectNode listRules(ObjectNode request) {
        var prefix = request.path("NamePrefix").asText("");
        var list = NODES.arrayNode();
        buses.bus(busName(request)).rules().values().stream()
                .filter(rule -> rule.name().startsWith(prefix))
                .forEach(rule -> list.add(describe(rule)));
        return NODES.objectNode().set("Rules", list);
    }

    ObjectNode deleteRule(ObjectNode request) {
        buses.deleteRule(
                busName(request),
                required(request, "Name"),
                request.path("Force").asBoolean(false));
        return NODES.objectNode();
    }

    ObjectNode putTargets(ObjectNode request) {
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

    ObjectNode removeTargets(ObjectNode request) {
        var ids = new ArrayList<String>();
        request.path("Ids").forEach(id -> ids.add(id.asText()));
        buses.removeTargets(busName(request), required(request, "Rule"), ids);
        return failedEntries(NODES.arrayNode());
    }

    ObjectNode listTargetsByRule(ObjectNode request) {
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
