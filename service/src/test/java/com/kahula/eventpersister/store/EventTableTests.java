package com.kahula.eventpersister.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.kahula.eventpersister.event.StoredEvent;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The one mapping between a stored event and its item: what is written is what every reader gets back. */
class EventTableTests {

    private static final StoredEvent FULL = new StoredEvent(
            "p-1",
            "1".repeat(64),
            "p-1",
            "bus-1",
            "saga-1",
            "ProductUpdatedEvent",
            "com.kahula.catalog.ProductUpdatedEvent",
            "2026-11-27T10:00:00.000Z",
            "catalog",
            "kahula.catalog",
            "{\"id\":\"p-1\"}",
            "2026-11-27T10:00:01.000Z",
            null);

    private static final StoredEvent WITHOUT_OPTIONALS = new StoredEvent(
            "bus-2",
            "2".repeat(64),
            null,
            "bus-2",
            null,
            "ProductCreatedEvent",
            "com.kahula.catalog.ProductCreatedEvent",
            "2026-11-27T10:00:00.000Z",
            null,
            "kahula.catalog",
            "{}",
            "2026-11-27T10:00:01.000Z",
            null);

    @Test
    void readsBackEveryColumnItWrites() {
        for (StoredEvent event : new StoredEvent[] {FULL, WITHOUT_OPTIONALS}) {
            assertThat(EventTable.storedItem(EventTable.item(event, Optional.empty())))
                    .isEqualTo(new StoredItem(event, Optional.empty()));
        }
    }

    @Test
    void readsBackTheFollowUpStateItWrites() {
        for (FollowUpMark.Status status : FollowUpMark.Status.values()) {
            FollowUpMark mark = new FollowUpMark("f-1", "ValidatableEvent", status);
            StoredItem read = EventTable.storedItem(EventTable.item(FULL, Optional.of(mark)));

            assertThat(read).isEqualTo(new StoredItem(FULL, Optional.of(mark)));
            assertThat(read.followUpStatus()).contains(status.name());
        }
    }

    @Test
    void refusesAnItemWithoutARequiredColumn() {
        Map<String, AttributeValue> item = new java.util.HashMap<>(EventTable.item(FULL, Optional.empty()));
        item.remove(EventTable.PAYLOAD);

        assertThatThrownBy(() -> EventTable.storedItem(item))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(EventTable.PAYLOAD);
    }
}
