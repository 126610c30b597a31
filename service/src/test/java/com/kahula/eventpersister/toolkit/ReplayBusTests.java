package com.kahula.eventpersister.toolkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.kahula.eventpersister.followup.FollowUp;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A replayed entry is sized for PutEvents as a follow-up is: one rule for every entry the service sends. */
class ReplayBusTests {

    @Test
    void sizesAnEntryAsAFollowUpOfTheSameTextsAndInUtf8Bytes() {
        ReplayBus.Entry entry = new ReplayBus.Entry(
                "kahula.catalog",
                "ProductUpdatedEvent",
                "{\"name\":\"Zoë\"}",
                Instant.parse("2026-11-27T10:00:00Z"),
                null);
        FollowUp followUp =
                new FollowUp("f-1", "ProductUpdatedEvent", "kahula.catalog", "{\"name\":\"Zoë\"}", "p-1", null, null);

        assertThat(entry.size()).isEqualTo(followUp.entrySize());
        // 14 + 19 + 15 bytes (ë is two), and 14 for the time
        assertThat(entry.size()).isEqualTo(14 + 19 + 15 + 14);
    }
}
