package com.kahula.eventpersister.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

class ReplayMarkerTests {

    private static final String STORED =
            "{\"id\":\"evt-42\",\"sagaId\":\"saga-7\",\"price\":12.50,\"big\":1e400," + "\"nested\":{\"a\":1.10}}";

    private final EventParser parser = new EventParser(EventMapping.defaults(), 262_144);

    @Test
    void marksTheStoredDetailKeepingItsFieldsOrderAndDigits() {
        assertThat(ReplayMarker.mark(STORED, "fix-1"))
                .isEqualTo("{\"id\":\"evt-42\",\"sagaId\":\"saga-7\",\"price\":12.50,\"big\":1E+400,"
                        + "\"nested\":{\"a\":1.10},\"persister-replay\":\"fix-1\"}");
    }

    @Test
    void aNewMarkReplacesAnEarlierOne() {
        String twice = ReplayMarker.mark(ReplayMarker.mark("{\"a\":1}", "first"), "second");

        assertThat(twice).isEqualTo("{\"a\":1,\"persister-replay\":\"second\"}");
    }

    @Test
    void aReplayedEventHasItsOriginalsIdAndHash() {
        String original = "{\"id\":\"evt-42\",\"sagaId\":\"saga-7\",\"domain\":\"catalog\","
                + "\"timestamp\":\"2026-11-27T10:00:00.123Z\",\"sku\":\"SKU-1\",\"price\":12.50}";

        StoredEvent stored = parsed(SampleEvents.envelopeWithDetail(original));
        StoredEvent replayed = parsed(SampleEvents.envelopeWithDetail(ReplayMarker.mark(original, "fix-1")));

        assertThat(replayed.uniqueId()).isEqualTo(stored.uniqueId());
        assertThat(replayed.payloadHash()).isEqualTo(stored.payloadHash());
    }

    @Test
    void theHashStillSeesTheKeyBelowTheTopOfDetail() {
        StoredEvent plain = parsed(SampleEvents.envelopeWithDetail("{\"id\":\"e\",\"order\":{}}"));
        StoredEvent nested =
                parsed(SampleEvents.envelopeWithDetail("{\"id\":\"e\",\"order\":{\"persister-replay\":\"x\"}}"));

        assertThat(nested.payloadHash()).isNotEqualTo(plain.payloadHash());
    }

    @Test
    void refusesWhatIsNoStoredDetail() {
        assertThatIllegalArgumentException().isThrownBy(() -> ReplayMarker.mark("[1]", "fix-1"));
        assertThatIllegalArgumentException().isThrownBy(() -> ReplayMarker.mark("{", "fix-1"));
        assertThatIllegalArgumentException().isThrownBy(() -> ReplayMarker.mark("{}", " "));
    }

    private StoredEvent parsed(String body) {
        return ((ParseResult.Parsed) parser.parse(body, SampleEvents.RECEIVED_AT)).event();
    }
}
