package com.kahula.eventpersister.listener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What a message to park may hold: a reason, attributes as SQS has them, a stored hash only when there is one. */
class ParkedMessageTests {

    @Test
    void holdsItsAttributesInNameOrderAndUnchangeable() {
        Map<String, ParkedMessage.Attribute> arrived = new HashMap<>();
        arrived.put("zeta", new ParkedMessage.Text("String", "z"));
        arrived.put("alpha", new ParkedMessage.Text("String", "a"));

        ParkedMessage parked = parked(arrived, "not-json", Optional.empty());
        arrived.put("beta", new ParkedMessage.Text("String", "b"));

        assertThat(parked.attributes()).containsOnlyKeys("alpha", "zeta");
        assertThat(parked.attributes().keySet()).containsExactly("alpha", "zeta");
        assertThatThrownBy(() -> parked.attributes().put("beta", new ParkedMessage.Text("String", "b")))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void saysWhyItIsParked() {
        assertThatThrownBy(() -> parked(Map.of(), " ", Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("why");
    }

    @Test
    void namesAStoredHashOnlyWhenThereIsOne() {
        assertThatThrownBy(() -> parked(Map.of(), "conflict", Optional.of("")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("stored hash");
        assertThat(parked(Map.of(), "conflict", Optional.of("ab12")).storedHash())
                .contains("ab12");
    }

    @Test
    void refusesAnAttributeWithoutAName() {
        assertThatThrownBy(
                        () -> parked(Map.of(" ", new ParkedMessage.Text("String", "v")), "not-json", Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aTextAttributeIsAStringOrANumberPerhapsWithACustomType() {
        assertThatNoException().isThrownBy(() -> {
            new ParkedMessage.Text("String", "without-follow-ups");
            new ParkedMessage.Text("Number", "3");
            new ParkedMessage.Text("Number.int", "3");
            new ParkedMessage.Text("String.json", "{}");
        });
        assertThatThrownBy(() -> new ParkedMessage.Text("Binary", "AQID")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ParkedMessage.Text("Stringy", "v")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ParkedMessage.Text("String.", "v")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aBinaryAttributeIsABinaryAndItsBytesCannotBeChangedFromOutside() {
        byte[] bytes = {1, 2, 3};
        ParkedMessage.Binary binary = new ParkedMessage.Binary("Binary.trace", bytes);
        bytes[0] = 9;
        binary.value()[1] = 9;

        assertThat(binary.value()).containsExactly(1, 2, 3);
        assertThat(binary)
                .isEqualTo(new ParkedMessage.Binary("Binary.trace", new byte[] {1, 2, 3}))
                .hasSameHashCodeAs(new ParkedMessage.Binary("Binary.trace", new byte[] {1, 2, 3}))
                .isNotEqualTo(new ParkedMessage.Binary("Binary", new byte[] {1, 2, 3}));
        assertThatThrownBy(() -> new ParkedMessage.Binary("String", new byte[] {1}))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static ParkedMessage parked(
            Map<String, ParkedMessage.Attribute> attributes, String reason, Optional<String> storedHash) {
        return new ParkedMessage("{}", attributes, reason, "detail", storedHash);
    }
}
