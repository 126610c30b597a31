package com.kahula.eventpersister.toolkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.kahula.eventpersister.event.DetailDifferences;
import com.kahula.eventpersister.event.EventMapping;
import com.kahula.eventpersister.event.EventParser;
import com.kahula.eventpersister.event.ParseResult;
import com.kahula.eventpersister.event.StoredEvent;
import com.kahula.eventpersister.support.SampleEvents;
import com.kahula.eventpersister.toolkit.DeadLetterVerdicts.Judged;
import com.kahula.eventpersister.toolkit.DeadLetterVerdicts.Kind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class DeadLetterVerdictsTests {

    private static final Instant NOW = Instant.parse("2026-12-05T12:00:00Z");

    private final EventParser parser = new EventParser(EventMapping.defaults(), 262_144);
    private final Map<String, StoredEvent> table = new HashMap<>();
    private final List<List<String>> reads = new ArrayList<>();
    private final DeadLetterVerdicts verdicts =
            new DeadLetterVerdicts(parser, new DetailDifferences(EventMapping.defaults()), ids -> {
                reads.add(List.copyOf(ids));
                Map<String, StoredEvent> found = new HashMap<>();
                ids.forEach(id -> {
                    if (table.containsKey(id)) {
                        found.put(id, table.get(id));
                    }
                });
                return found;
            });

    private static DeadLetter letter(String body) {
        return new DeadLetter(UUID.randomUUID().toString(), body, Map.of(), NOW.minusSeconds(60), 2);
    }

    /** Stores the event of {@code body} as the service would have: its hash and its detail as the payload. */
    private void store(String body, ObjectNode detail) {
        ParseResult.Parsed parsed = (ParseResult.Parsed) parser.parse(body, NOW);
        StoredEvent event = parsed.event();
        table.put(
                event.uniqueId(),
                new StoredEvent(
                        event.uniqueId(),
                        event.payloadHash(),
                        event.mbocdpId(),
                        event.awsId(),
                        event.sagaId(),
                        event.eventName(),
                        event.detailType(),
                        event.timestamp(),
                        event.domain(),
                        event.source(),
                        detail.toString(),
                        event.receivedAt(),
                        null));
    }

    @Test
    void judgesEachLetterAgainstTodaysParserAndTable() {
        ObjectNode fresh = SampleEvents.detail("catalog");
        ObjectNode stored = SampleEvents.detail("catalog");
        ObjectNode changed = stored.deepCopy().put("sku", "SKU-changed");
        ObjectNode same = SampleEvents.detail("catalog");
        String sameBody = SampleEvents.envelope("com.kahula.catalog.ProductUpdatedEvent", same);
        store(SampleEvents.envelope("com.kahula.catalog.ProductUpdatedEvent", stored), stored);
        store(sameBody, same);

        List<Judged> judged = verdicts.judge(
                List.of(
                        letter(SampleEvents.envelope("com.kahula.catalog.ProductUpdatedEvent", fresh)),
                        letter(sameBody),
                        letter(SampleEvents.envelope("com.kahula.catalog.ProductUpdatedEvent", changed)),
                        letter("not json at all")),
                NOW);

        assertThat(judged)
                .extracting(one -> one.verdict().kind())
                .containsExactly(Kind.WOULD_BE_STORED, Kind.DUPLICATE, Kind.CONFLICT, Kind.REJECTED_AGAIN);
        assertThat(judged.get(2).verdict().differences())
                .extracting(Object::toString)
                .containsExactly("changed /sku");
        assertThat(judged.get(3).verdict().why()).startsWith("not-json: ");
        assertThat(judged.get(3).event()).isNull();
        assertThat(reads).as("one read of the table for the letters that parse").hasSize(1);
        assertThat(reads.getFirst()).hasSize(3);
    }

    @Test
    void judgesAnEventTheStoreWouldRefuseAsRejectedAgainWithTheStoresReason() {
        ObjectNode detail = SampleEvents.detail("catalog").put("sagaId", "s".repeat(2049));

        Judged judged = verdicts.judge(
                        List.of(letter(SampleEvents.envelope("com.kahula.catalog.ProductUpdatedEvent", detail))), NOW)
                .getFirst();

        assertThat(judged.verdict().kind()).isEqualTo(Kind.REJECTED_AGAIN);
        assertThat(judged.verdict().why()).startsWith("store-rejected: saga_id is 2049 bytes");
        assertThat(reads).as("a key DynamoDB refuses is not looked up").isEmpty();
    }

    @Test
    void movesOnlyWhatWouldBeStoredAndDuplicates() {
        assertThat(List.of(Kind.values()))
                .filteredOn(Kind::movable)
                .containsExactly(Kind.WOULD_BE_STORED, Kind.DUPLICATE);
    }

    @Test
    void readsNoTableWhenNoLetterParses() {
        List<Judged> judged = verdicts.judge(List.of(letter(""), letter("[1,2]")), NOW);

        assertThat(judged).extracting(one -> one.verdict().kind()).containsOnly(Kind.REJECTED_AGAIN);
        assertThat(reads).isEmpty();
    }
}
