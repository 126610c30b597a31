package com.kahula.embeddedaws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import software.amazon.event.ruler.GenericMachine;

/**
 * The emulated event buses with their rules and targets. Each bus is an immutable snapshot holding a ready
 * event-ruler machine, swapped on every change, so PutEvents matches without taking a lock.
 */
final class EventBuses {

    static final String DEFAULT_BUS = "default";

    /** A rule; {@code targets} maps target id to the target as PutTargets sent it. */
    record Rule(String name, String busName, String eventPattern, String state, Map<String, ObjectNode> targets) {

        Rule {
            targets = Collections.unmodifiableMap(new LinkedHashMap<>(targets));
        }

        boolean enabled() {
            return "ENABLED".equals(state);
        }

        String arn() {
            // AWS leaves the bus out of the ARN of rules on the default bus
            var path = DEFAULT_BUS.equals(busName) ? name : busName + "/" + name;
            return "arn:aws:events:%s:%s:rule/%s".formatted(EmbeddedAwsStack.REGION, EmbeddedAwsStack.ACCOUNT_ID, path);
        }

        Rule withTargets(Map<String, ObjectNode> newTargets) {
            return new Rule(name, busName, eventPattern, state, newTargets);
        }
    }

    /** A bus and the machine that matches events against its enabled rules. */
    record Bus(String name, Map<String, Rule> rules, GenericMachine<String> machine) {

        static Bus of(String name, Map<String, Rule> rules) {
            var machine = new GenericMachine<String>();
            for (var rule : rules.values()) {
                if (rule.enabled()) {
                    try {
                        machine.addRule(rule.name(), rule.eventPattern());
                    } catch (IOException e) {
                        throw new UncheckedIOException("pattern was validated by PutRule", e);
                    }
                }
            }
            return new Bus(name, Collections.unmodifiableMap(new LinkedHashMap<>(rules)), machine);
        }

        String arn() {
            return "arn:aws:events:%s:%s:event-bus/%s"
                    .formatted(EmbeddedAwsStack.REGION, EmbeddedAwsStack.ACCOUNT_ID, name);
        }

        List<Rule> matching(JsonNode envelope) {
            return machine.rulesForJSONEvent(envelope).stream()
                    .distinct()
                    .map(rules::get)
                    .toList();
        }

        Rule rule(String ruleName) {
            var rule = rules.get(ruleName);
            if (rule == null) {
                throw AwsServiceException.notFound("Rule %s does not exist on EventBus %s.".formatted(ruleName, name));
            }
            return rule;
        }

        Bus with(Rule rule) {
            var copy = new LinkedHashMap<>(rules);
            copy.put(rule.name(), rule);
            return of(name, copy);
        }

        Bus without(String ruleName) {
            var copy = new LinkedHashMap<>(rules);
            copy.remove(ruleName);
            return of(name, copy);
        }
    }

    private final ConcurrentMap<String, Bus> buses = new ConcurrentHashMap<>();

    EventBuses() {
        buses.put(DEFAULT_BUS, Bus.of(DEFAULT_BUS, Map.of()));
    }

    /** Accepts a bus name or ARN, as the AWS API does. */
    static String busName(String nameOrArn) {
        if (nameOrArn == null || nameOrArn.isEmpty()) {
            return DEFAULT_BUS;
        }
        var marker = nameOrArn.indexOf(":event-bus/");
        return marker < 0 ? nameOrArn : nameOrArn.substring(marker + ":event-bus/".length());
    }

    /** The bus, or null: PutEvents reports a missing bus per entry rather than failing the request. */
    Bus find(String name) {
        return buses.get(name);
    }

    Bus bus(String name) {
        var bus = buses.get(name);
        if (bus == null) {
            throw AwsServiceException.notFound("Event bus %s does not exist.".formatted(name));
        }
        return bus;
    }

    Collection<Bus> all() {
        return buses.values();
    }

    synchronized Bus create(String name) {
        if (buses.containsKey(name)) {
            throw new AwsServiceException(
                    400, "ResourceAlreadyExistsException", "Event bus %s already exists.".formatted(name));
        }
        var bus = Bus.of(name, Map.of());
        buses.put(name, bus);
        return bus;
    }

    synchronized void delete(String name) {
        if (DEFAULT_BUS.equals(name)) {
            throw AwsServiceException.validation("Cannot delete event bus default.");
        }
        buses.remove(name);
    }

    synchronized Rule putRule(String busName, String ruleName, String eventPattern, String state) {
        var bus = bus(busName);
        var existing = bus.rules().get(ruleName);
        var rule = new Rule(ruleName, busName, eventPattern, state, existing == null ? Map.of() : existing.targets());
        buses.put(busName, bus.with(rule));
        return rule;
    }

    synchronized void deleteRule(String busName, String ruleName, boolean force) {
        var bus = bus(busName);
        var rule = bus.rules().get(ruleName);
        if (rule == null) {
            return; // AWS deletes idempotently
        }
        if (!rule.targets().isEmpty() && !force) {
            throw AwsServiceException.validation("Rule can't be deleted since it has targets.");
        }
        buses.put(busName, bus.without(ruleName));
    }

    synchronized void putTargets(String busName, String ruleName, List<ObjectNode> targets) {
        var bus = bus(busName);
        var rule = bus.rule(ruleName);
        var merged = new LinkedHashMap<>(rule.targets());
        targets.forEach(target -> merged.put(target.path("Id").asText(), target));
        buses.put(busName, bus.with(rule.withTargets(merged)));
    }

    synchronized void removeTargets(String busName, String ruleName, List<String> ids) {
        var bus = bus(busName);
        var rule = bus.rule(ruleName);
        var remaining = new LinkedHashMap<>(rule.targets());
        ids.forEach(remaining::remove);
        buses.put(busName, bus.with(rule.withTargets(remaining)));
    }
}
