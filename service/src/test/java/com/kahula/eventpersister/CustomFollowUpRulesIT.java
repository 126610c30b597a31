package com.kahula.eventpersister;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.kahula.eventpersister.support.AwsFixture;
import com.kahula.eventpersister.support.EndToEndTest;
import com.kahula.eventpersister.support.EventOracle;
import com.kahula.eventpersister.support.SampleEvents;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/** Rules from configuration alone: a pattern on the domain, and a rule whose output would match itself. */
@TestPropertySource(
        properties = {
            "persister.env=e2e-rules",
            "persister.follow-up.rules[0].name=restock",
            "persister.follow-up.rules[0].pattern={\"detail\":{\"domain\":[\"stock\"]}}",
            "persister.follow-up.rules[0].emit=RestockEvent",
            "persister.follow-up.rules[1].name=feeds-itself",
            "persister.follow-up.rules[1].pattern={\"detail-type\":[{\"suffix\":\"UpdatedEvent\"}]}",
            "persister.follow-up.rules[1].emit=LoopUpdatedEvent"
        })
class CustomFollowUpRulesIT extends EndToEndTest {

    private static final AwsFixture RULES_AWS = new AwsFixture(STACK, "e2e-rules");

    @Test
    void aRuleOnTheDomainFromConfigurationEmitsItsEvent() {
        ObjectNode detail = SampleEvents.detail("stock");
        String id = detail.get("id").asText();

        RULES_AWS.publish(List.of(SampleEvents.entry("com.kahula.stock.StockLevelChangedEvent", detail)));

        await().untilAsserted(() -> assertThat(RULES_AWS.followUpsOf(id))
                .singleElement()
                .satisfies(followUp -> {
                    assertThat(followUp.detailType()).isEqualTo("RestockEvent");
                    assertThat(followUp.detail().get("domain").asText()).isEqualTo("stock");
                }));
        ObjectNode other = SampleEvents.detail("pricing");
        RULES_AWS.publish(List.of(SampleEvents.entry("com.kahula.pricing.PriceChangedEvent", other)));
        await().until(() -> RULES_AWS.row(other.get("id").asText()).isPresent());
        assertThat(RULES_AWS.followUpsOf(other.get("id").asText())).isEmpty();
    }

    @Test
    void aRuleWhoseOutputMatchesItselfDoesNotLoop() {
        ObjectNode detail = SampleEvents.detail("catalog");
        String id = detail.get("id").asText();
        String followUpId = EventOracle.followUpId(id, "LoopUpdatedEvent");

        RULES_AWS.publish(List.of(SampleEvents.entry("com.kahula.catalog.ProductUpdatedEvent", detail)));

        await().until(() -> RULES_AWS.row(followUpId).isPresent());
        await().during(Duration.ofSeconds(2))
                .until(() -> RULES_AWS.followUpsOf(followUpId).isEmpty()
                        && RULES_AWS.followUpsOf(id).size() == 1);
        assertThat(RULES_AWS.column(followUpId, "event_name")).isEqualTo("LoopUpdatedEvent");
        assertThat(RULES_AWS.column(followUpId, "follow_up_status")).isNull();
    }
}
