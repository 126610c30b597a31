package com.kahula.eventpersister.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class EventMappingTests {

    @Test
    void defaultsFollowTheProducerConvention() {
        assertThat(EventMapping.defaults()).isEqualTo(new EventMapping("/id", "/sagaId", "/timestamp", "/domain"));
    }

    @Test
    void acceptsNestedAndEscapedPointers() {
        EventMapping mapping = new EventMapping("/meta/eventId", "/a~1b", "/m~0n", "/0");

        assertThat(mapping.excludedFromHash()).hasSize(3);
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "id", "meta/id", "/bad~2escape"})
    void refusesInvalidPointerNamingTheField(String pointer) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new EventMapping("/id", "/sagaId", pointer, "/domain"))
                .withMessageContaining("timestampPointer");
    }
}
