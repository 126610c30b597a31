package com.kahula.eventpersister.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Whatever the body, the parser answers Parsed or Rejected with one line: it never throws. */
class EventParserProperties {

    private final EventParser parser = new EventParser(EventMapping.defaults(), 65_536);

    @Property(tries = 2000)
    void anyTextIsParsedOrRejectedNeverThrown(@ForAll String body) {
        assertAnswers(body);
    }

    @Property(tries = 2000)
    void anyEnvelopeShapeIsParsedOrRejectedNeverThrown(@ForAll("envelopes") String body) {
        assertAnswers(body);
    }

    private void assertAnswers(String body) {
        ParseResult result = parser.parse(body, Instant.parse("2026-11-30T10:00:00Z"));
        assertThat(result).isInstanceOfAny(ParseResult.Parsed.class, ParseResult.Rejected.class);
        if (result instanceof ParseResult.Rejected rejected) {
            assertThat(rejected.detail()).doesNotContain("\n", "\r");
        }
    }

    /** Envelopes with each field present or not, of any JSON type, and details of any depth and content. */
    @Provide
    Arbitrary<String> envelopes() {
        Arbitrary<String> field = Arbitraries.oneOf(values(2), Arbitraries.just(null));
        return Combinators.combine(field, field, field, field, field, detail())
                .as((id, type, source, time, version, detail) -> {
                    StringBuilder json = new StringBuilder("{");
                    append(json, "id", id);
                    append(json, "detail-type", type);
                    append(json, "source", source);
                    append(json, "time", time);
                    append(json, "version", version);
                    append(json, "detail", detail);
                    if (json.length() > 1) {
                        json.setLength(json.length() - 1);
                    }
                    return json.append('}').toString();
                });
    }

    private Arbitrary<String> detail() {
        return Combinators.combine(values(3), values(1), values(1), values(1))
                .as((payload, id, saga, timestamp) -> "{\"id\":" + id + ",\"sagaId\":" + saga + ",\"timestamp\":"
                        + timestamp + ",\"data\":" + payload + "}");
    }

    /** Any JSON value up to {@code depth} levels of arrays and objects. */
    private Arbitrary<String> values(int depth) {
        Arbitrary<String> scalars = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(20).map(EventParserProperties::quoted),
                Arbitraries.bigDecimals().map(Object::toString),
                Arbitraries.longs().map(Object::toString),
                Arbitraries.doubles().map(Object::toString),
                Arbitraries.of(
                        "true", "false", "null", "1e400", "-0", "2026-11-27T10:00:00Z", "\"2026-11-27T10:00:00Z\""));
        if (depth == 0) {
            return scalars;
        }
        Arbitrary<String> nested = values(depth - 1);
        return Arbitraries.oneOf(
                scalars,
                nested.list().ofMaxSize(4).map(items -> "[" + String.join(",", items) + "]"),
                Combinators.combine(Arbitraries.strings().alpha().ofMaxLength(5), nested)
                        .as((key, value) -> quoted(key) + ":" + value)
                        .list()
                        .ofMaxSize(4)
                        .map(members -> "{" + String.join(",", members) + "}"));
    }

    private static void append(StringBuilder json, String name, String value) {
        if (value != null) {
            json.append(quoted(name)).append(':').append(value).append(',');
        }
    }

    private static String quoted(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append("\\u%04x".formatted((int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
