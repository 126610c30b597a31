package com.kahula.eventpersister.followup;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.event.ruler.GenericMachine;

/**
 * Picks the follow-up rule an event triggers: the first, in configuration order, whose pattern matches its envelope.
 * Matching is event-ruler's, the engine EventBridge uses. Events the service emitted itself trigger nothing, so no rule
 * set can feed itself forever.
 */
public final class FollowUpRules {

    private final GenericMachine<Integer> machine = new GenericMachine<>();
    private final List<FollowUpRule> rules;
    private final String ownSource;

    public FollowUpRules(List<FollowUpRule> rules, String ownSource) {
        this.rules = List.copyOf(rules);
        this.ownSource = ownSource;
        Map<String, FollowUpRule> byName = new HashMap<>();
        for (int order = 0; order < this.rules.size(); order++) {
            FollowUpRule rule = this.rules.get(order);
            if (byName.put(rule.name(), rule) != null) {
                throw new IllegalArgumentException("two follow-up rules are named '" + rule.name() + "'");
            }
            try {
                machine.addRule(order, rule.pattern());
            } catch (Exception invalid) {
                throw new IllegalArgumentException("follow-up rule '" + rule.name() + "': " + invalid.getMessage());
            }
        }
    }

    /** The rule the event triggers, if any. */
    public Optional<FollowUpRule> firstMatch(JsonNode envelope) {
        if (rules.isEmpty() || ownSource.equals(envelope.path("source").asText())) {
            return Optional.empty();
        }
        return machine.rulesForJSONEvent(envelope).stream()
                .min(Comparator.naturalOrder())
                .map(rules::get);
    }

    /** The first configured rule that emits follow-ups of {@code type}, if any. */
    public Optional<FollowUpRule> emitting(String type) {
        return rules.stream().filter(rule -> rule.emit().equals(type)).findFirst();
    }

    /** The types of follow-up the configured rules emit, in configuration order, each once. */
    public List<String> emittedTypes() {
        return rules.stream().map(FollowUpRule::emit).distinct().toList();
    }

    /** The configured rule named so, if any. */
    public Optional<FollowUpRule> named(String name) {
        return rules.stream().filter(rule -> rule.name().equals(name)).findFirst();
    }
}
