package com.kahula.eventpersister.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class DetailDifferencesTests {

    private final DetailDifferences differences = new DetailDifferences(EventMapping.defaults());

    private static final String STORED = """
            {"id":"evt-42","sagaId":"saga-7","domain":"catalog","timestamp":"2026-11-27T10:00:00.123Z",
             "product":{"sku":"SKU-1","price":{"amount":12.50,"currency":"EUR"}},
             "tags":["new","summer","sale"],"color":"red"}""";

    private List<String> between(String stored, String detail) {
        return differences.between(stored, SampleEvents.envelopeWithDetail(detail)).stream()
                .map(Object::toString)
                .toList();
    }

    @Test
    void namesANestedChangeAnArrayElementAnAddedAndARemovedField() {
        String parked = """
                {"id":"evt-42","sagaId":"saga-7","domain":"catalog","timestamp":"2026-11-27T10:00:00.123Z",
                 "product":{"sku":"SKU-1","price":{"amount":13.00,"currency":"EUR"}},
                 "tags":["new","winter","sale"],"size":"XL"}""";

        assertThat(between(STORED, parked))
                .containsExactlyInAnyOrder(
                        "changed /product/price/amount", "changed /tags/1", "added /size", "removed /color");
    }

    @Test
    void listsNothingWhenOnlyWhatTheHashLeavesOutChanged() {
        String parked = """
                {"id":"evt-other","sagaId":"saga-other","domain":"catalog","timestamp":"2026-12-01T00:00:00Z",
                 "product":{"sku":"SKU-1","price":{"amount":12.50,"currency":"EUR"}},
                 "tags":["new","summer","sale"],"color":"red"}""";

        assertThat(between(STORED, parked)).isEmpty();
    }

    @Test
    void listsNothingForAnotherKeyOrderOrNumberNotation() {
        String parked = """
                {"color":"red","tags":["new","summer","sale"],"timestamp":"2026-11-27T10:00:00.123Z",
                 "product":{"price":{"currency":"EUR","amount":1.25e1},"sku":"SKU-1"},
                 "domain":"catalog","sagaId":"saga-7","id":"evt-42"}""";

        assertThat(between(STORED, parked)).isEmpty();
    }

    @Test
    void listsTheDomainWhichTheHashKeeps() {
        String parked = STORED.replace("\"domain\":\"catalog\"", "\"domain\":\"pricing\"");

        assertThat(between(STORED, parked)).containsExactly("changed /domain");
    }

    @Test
    void refusesABodyWithoutAnObjectDetailNamingNoValue() {
        assertThatThrownBy(() -> differences.between(STORED, "{\"detail\":\"secret-value\"}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the message body has no object 'detail'");
        assertThatThrownBy(() -> differences.between("{not json secret-value", SampleEvents.EXAMPLE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the stored payload is not JSON");
    }
}
