package com.kahula.eventpersister.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

class StoredEventTests {

    private static final String HASH = "a".repeat(64);
    private static final String AT = "2026-11-27T10:00:00.000Z";

    @Test
    void acceptsEventWithoutOptionalFields() {
        StoredEvent event = storedEvent("aws-1", null, null, null, HASH, AT);

        assertThat(event.uniqueId()).isEqualTo("aws-1");
    }

    @Test
    void refusesMissingRequiredField() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new StoredEvent("u", HASH, "u", "a", null, "E", "T", AT, null, " ", "{}", AT, null))
                .withMessageContaining("source");
    }

    @Test
    void refusesBlankOptionalField() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> storedEvent("aws-1", null, "", null, HASH, AT))
                .withMessageContaining("sagaId");
    }

    @Test
    void refusesUniqueIdOtherThanProducerIdOrAwsId() {
        assertThatIllegalArgumentException().isThrownBy(() -> storedEvent("other", "evt-1", null, null, HASH, AT));
        assertThatIllegalArgumentException().isThrownBy(() -> storedEvent("aws-1", "evt-1", null, null, HASH, AT));
    }

    @Test
    void refusesMalformedHash() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> storedEvent("aws-1", null, null, null, "A".repeat(64), AT))
                .withMessageContaining("payloadHash");
    }

    @Test
    void refusesTimestampOutsideTheFixedFormat() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> storedEvent("aws-1", null, null, null, HASH, "2026-11-27T10:00:00Z"))
                .withMessageContaining("timestamp");
    }

    private static StoredEvent storedEvent(
            String uniqueId, String mbocdpId, String sagaId, String domain, String hash, String timestamp) {
        return new StoredEvent(
                uniqueId,
                hash,
                mbocdpId,
                "aws-1",
                sagaId,
                "ProductUpdatedEvent",
                "com.kahula.catalog.ProductUpdatedEvent",
                timestamp,
                domain,
                "kahula.catalog",
                "{}",
                AT,
                null);
    }
}
