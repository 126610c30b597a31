package com.kahula.eventpersister.followup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FollowUpRulesTests {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OWN_SOURCE = "kahula.event-persister";
    private static final FollowUpRule UPDATED =
            new FollowUpRule("updated", "{\"detail-type\":[{\"suffix\":\"UpdatedEvent\"}]}", "ValidatableEvent");
    private static final FollowUpRule VALIDATED =
            new FollowUpRule("validated", "{\"detail-type\":[{\"suffix\":\"ValidatedEvent\"}]}", "IndexableEvent");
    private static final FollowUpRules DEFAULTS = new FollowUpRules(List.of(UPDATED, VALIDATED), OWN_SOURCE);

    @Test
    void updatedEventsTriggerValidatable() {
        assertThat(DEFAULTS.firstMatch(envelope("com.kahula.catalog.ProductUpdatedEvent", "kahula.catalog", "catalog")))
                .map(FollowUpRule::emit)
                .contains("ValidatableEvent");
    }

    @Test
    void validatedEventsTriggerIndexable() {
        assertThat(DEFAULTS.firstMatch(envelope("BarValidatedEvent", "kahula.validation", "catalog")))
                .map(FollowUpRule::emit)
                .contains("IndexableEvent");
    }

    @Test
    void otherEventsTriggerNothing() {
        assertThat(DEFAULTS.firstMatch(envelope("com.kahula.pricing.PriceChangedEvent", "kahula.pricing", "pricing")))
                .isEmpty();
        assertThat(DEFAULTS.firstMatch(envelope("UpdatedEventually", "kahula.pricing", "pricing")))
                .isEmpty();
        assertThat(DEFAULTS.firstMatch(envelope("ValidatableEvent", OWN_SOURCE, "catalog")))
                .isEmpty();
    }

    @Test
    void namesEachTypeTheRulesEmitOnceInConfigurationOrder() {
        FollowUpRule alsoValidatable =
                new FollowUpRule("created", "{\"detail-type\":[{\"suffix\":\"CreatedEvent\"}]}", "ValidatableEvent");
        FollowUpRules rules = new FollowUpRules(List.of(UPDATED, VALIDATED, alsoValidatable), OWN_SOURCE);

        assertThat(rules.emittedTypes()).containsExactly("ValidatableEvent", "IndexableEvent");
        assertThat(new FollowUpRules(List.of(), OWN_SOURCE).emittedTypes()).isEmpty();
    }

    @Test
    void firstMatchingRuleInOrderWins() {
        FollowUpRule byDomain = new FollowUpRule("stock", "{\"detail\":{\"domain\":[\"stock\"]}}", "RestockEvent");
        FollowUpRules rules = new FollowUpRules(List.of(byDomain, UPDATED), OWN_SOURCE);

        assertThat(rules.firstMatch(envelope("StockUpdatedEvent", "kahula.stock", "stock")))
                .map(FollowUpRule::name)
                .contains("stock");
        assertThat(rules.firstMatch(envelope("PriceUpdatedEvent", "kahula.pricing", "pricing")))
                .map(FollowUpRule::name)
                .contains("updated");
    }

    @Test
    void ownFollowUpsNeverTriggerARule() {
        FollowUpRule feedsItself = new FollowUpRule("loop", "{\"detail-type\":[{\"suffix\":\"Event\"}]}", "LoopEvent");
        FollowUpRules rules = new FollowUpRules(List.of(feedsItself), OWN_SOURCE);

        assertThat(rules.firstMatch(envelope("LoopEvent", OWN_SOURCE, "catalog")))
                .isEmpty();
        assertThat(rules.firstMatch(envelope("LoopEvent", "kahula.catalog", "catalog")))
                .isPresent();
    }

    @Test
    void refusesAPatternThatDoesNotCompileNamingTheRule() {
        assertThatThrownBy(() -> new FollowUpRule("broken-rule", "{\"detail-type\":[{\"suffix\":", "X"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("broken-rule")
                .hasMessageContaining("pattern");
        assertThatThrownBy(() -> new FollowUpRule("not-a-pattern", "[1,2]", "X"))
                .hasMessageContaining("not-a-pattern");
    }

    @Test
    void refusesAnEmitThatIsNoDetailType() {
        assertThatThrownBy(() -> new FollowUpRule("bad-emit", "{\"source\":[\"a\"]}", "has spaces"))
                .hasMessageContaining("bad-emit")
                .hasMessageContaining("emit");
    }

    @Test
    void refusesTwoRulesOfOneName() {
        assertThatThrownBy(() -> new FollowUpRules(List.of(UPDATED, UPDATED), OWN_SOURCE))
                .hasMessageContaining("updated");
    }

    @Test
    void findsRulesByName() {
        assertThat(DEFAULTS.named("validated")).contains(VALIDATED);
        assertThat(DEFAULTS.named("missing")).isEqualTo(Optional.empty());
    }

    private static JsonNode envelope(String detailType, String source, String domain) {
        return JSON.createObjectNode()
                .put("version", "0")
                .put("id", "bus-1")
                .put("detail-type", detailType)
                .put("source", source)
                .set("detail", JSON.createObjectNode().put("domain", domain).put("id", "p-1"));
    }
}
