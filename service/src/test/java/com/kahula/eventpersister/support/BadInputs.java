package com.kahula.eventpersister.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Inputs nobody here wrote on purpose, each with the outcome it must have: stored (under which unique id) or parked
 * (with which reason). Every envelope field and {@code detail} field with wrong types, empty, huge, at and over the
 * limits (the e2e profile's 64 KB body, DynamoDB's 2,048-byte keys), numbers beyond a double, duplicate keys, lone
 * surrogates, control characters, a byte order mark, and the wrappers a misrouted message comes in.
 */
public final class BadInputs {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The e2e profile's persister.listener.max-body-bytes. */
    public static final int MAX_BODY_BYTES = 65_536;

    /** What must become of a case: stored under {@code uniqueId}, or parked with {@code reason}. */
    public record Expected(String outcome, String detail) {
        static Expected stored(String uniqueId) {
            return new Expected("stored", uniqueId);
        }

        static Expected parked(String reason) {
            return new Expected("parked", reason);
        }

        public boolean isStored() {
            return outcome.equals("stored");
        }
    }

    public record Case(String name, String body, Expected expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    private BadInputs() {}

    public static List<Case> all() {
        List<Case> cases = new ArrayList<>();
        // the body itself
        // SQS refuses an empty body, so the emptiest that can arrive is one space
        cases.add(new Case("one space", " ", Expected.parked("empty-body")));
        cases.add(new Case("blank body", " \n\t ", Expected.parked("empty-body")));
        cases.add(new Case("not JSON", "not json " + token(), Expected.parked("not-json")));
        cases.add(new Case("JSON array", "[\"" + token() + "\"]", Expected.parked("not-an-envelope")));
        cases.add(new Case("JSON string", "\"" + token() + "\"", Expected.parked("not-an-envelope")));
        cases.add(new Case("JSON null", "null", Expected.parked("not-an-envelope")));
        cases.add(new Case("JSON number", "4242", Expected.parked("not-an-envelope")));
        cases.add(new Case("trailing garbage", envelope(e -> {}).body() + " and more", Expected.parked("not-json")));
        cases.add(new Case("byte order mark", "\uFEFF" + envelope(e -> {}).body(), Expected.parked("not-json")));
        // a tab SQS carries, JSON does not allow unescaped in a string
        cases.add(new Case(
                "raw control character in a string",
                envelope(e -> {}).body().replace("\"sku\":\"", "\"sku\":\"\t"),
                Expected.parked("not-json")));
        cases.add(new Case(
                "duplicate key in the envelope",
                envelope(e -> {}).body().replace("{\"version\":\"0\",", "{\"version\":\"0\",\"version\":\"1\","),
                Expected.parked("not-json")));
        cases.add(new Case(
                "duplicate key in detail",
                envelope(e -> {}).body().replace("\"detail\":{", "\"detail\":{\"sku\":\"A\","),
                Expected.parked("not-json")));
        cases.add(new Case(
                "nested 2,000 deep",
                envelope(e -> {})
                        .body()
                        .replace("\"detail\":{", "\"detail\":{\"deep\":" + "[".repeat(2000) + "]".repeat(2000) + ","),
                Expected.parked("not-json")));
        cases.add(new Case(
                "over the body limit",
                envelope(e -> detail(e).put("blob", "x".repeat(MAX_BODY_BYTES))).body(),
                Expected.parked("too-large")));
        cases.add(new Case(
                "over the body limit only in UTF-8",
                envelope(e -> detail(e).put("blob", "é".repeat(MAX_BODY_BYTES / 2)))
                        .body(),
                Expected.parked("too-large")));
        // envelope fields
        cases.add(parked("no id", e -> e.remove("id"), "missing-id"));
        cases.add(parked("numeric id", e -> e.put("id", 123), "missing-id"));
        cases.add(parked("empty id", e -> e.put("id", ""), "missing-id"));
        cases.add(parked("null id", e -> e.putNull("id"), "missing-id"));
        cases.add(parked("no detail-type", e -> e.remove("detail-type"), "missing-detail-type"));
        cases.add(parked("numeric detail-type", e -> e.put("detail-type", 5), "missing-detail-type"));
        cases.add(parked("blank detail-type", e -> e.put("detail-type", "   "), "missing-detail-type"));
        cases.add(parked("detail-type without a name", e -> e.put("detail-type", "com.kahula."), "invalid-field"));
        cases.add(parked("no source", e -> e.remove("source"), "missing-source"));
        cases.add(parked("array source", e -> e.putArray("source"), "missing-source"));
        cases.add(parked("no detail", e -> e.remove("detail"), "detail-not-object"));
        cases.add(parked("text detail", e -> e.put("detail", "plain text"), "detail-not-object"));
        cases.add(parked("array detail", e -> e.putArray("detail"), "detail-not-object"));
        cases.add(parked("double-encoded detail", e -> e.put("detail", detail(e).toString()), "detail-not-object"));
        cases.add(new Case(
                "SNS notification wrapper",
                "{\"Type\":\"Notification\",\"MessageId\":\"" + token() + "\",\"Message\":"
                        + JSON.valueToTree(envelope(e -> {}).body()) + "}",
                Expected.parked("missing-id")));
        // detail fields
        cases.add(parked("object producer id", e -> detail(e).putObject("id"), "invalid-field"));
        cases.add(parked("array producer id", e -> detail(e).putArray("id"), "invalid-field"));
        cases.add(parked("boolean producer id", e -> detail(e).put("id", true), "invalid-field"));
        cases.add(parked("object domain", e -> detail(e).putObject("domain"), "invalid-field"));
        cases.add(parked("boolean saga id", e -> detail(e).put("sagaId", false), "invalid-field"));
        cases.add(parked("timestamp not a time", e -> detail(e).put("timestamp", "yesterday"), "invalid-timestamp"));
        cases.add(parked(
                "timestamp without offset",
                e -> detail(e).put("timestamp", "2026-11-27T10:00:00"),
                "invalid-timestamp"));
        cases.add(parked("timestamp beyond year 9999", e -> detail(e).put("timestamp", 1e30), "invalid-timestamp"));
        cases.add(parked(
                "no timestamp and no envelope time",
                e -> {
                    detail(e).remove("timestamp");
                    e.remove("time");
                },
                "invalid-timestamp"));
        cases.add(parked(
                "a number beyond a double",
                e -> detail(e).set("n", JSON.getNodeFactory().numberNode(new java.math.BigDecimal("1e400"))),
                "invalid-field"));
        // DynamoDB's key limits, at and over
        cases.add(stored("producer id of 2,048 bytes", e -> detail(e).put("id", id(2048))));
        cases.add(parked("producer id of 2,049 bytes", e -> detail(e).put("id", id(2049)), "store-rejected"));
        cases.add(parked("producer id of 3,000 bytes", e -> detail(e).put("id", id(3000)), "store-rejected"));
        cases.add(stored(
                "producer id of 1,024 two-byte letters", e -> detail(e).put("id", token() + "é".repeat(1006))));
        cases.add(parked(
                "producer id over 2,048 bytes only in UTF-8",
                e -> detail(e).put("id", token() + "é".repeat(1100)),
                "store-rejected"));
        cases.add(parked("saga id of 3,000 bytes", e -> detail(e).put("sagaId", id(3000)), "store-rejected"));
        cases.add(parked(
                "a subnormal number the canonicalization library cannot write",
                e -> detail(e).put("tiny", new java.math.BigDecimal("1e-315")),
                "invalid-field"));
        // accepted as they are
        cases.add(stored(
                "integer beyond a long",
                e -> detail(e)
                        .set(
                                "n",
                                JSON.getNodeFactory()
                                        .numberNode(new java.math.BigInteger("123456789012345678901234567890")))));
        cases.add(stored(
                "numeric producer id",
                e -> detail(e).put("id", Math.abs(UUID.randomUUID().getMostSignificantBits()))));
        Built loneSurrogate = envelope(e -> detail(e).put("note", "half LONE pair"));
        cases.add(new Case(
                "lone surrogate escaped",
                loneSurrogate.body().replace("LONE", "\\ud800"),
                Expected.stored(
                        loneSurrogate.envelope().path("detail").path("id").asText())));
        cases.add(stored("emoji and right-to-left text", e -> detail(e).put("note", "👩‍👩‍👧 שלום")));
        cases.add(stored("epoch milliseconds", e -> detail(e).put("timestamp", 1764237600123L)));
        cases.add(stored("no producer id", e -> detail(e).remove("id")));
        cases.add(stored("a large value under the limit", e -> detail(e).put("blob", "y".repeat(40_000))));
        return cases;
    }

    private static Case parked(String name, Consumer<ObjectNode> change, String reason) {
        return new Case(name, envelope(change).body(), Expected.parked(reason));
    }

    private static Case stored(String name, Consumer<ObjectNode> change) {
        Built built = envelope(change);
        String producerId = built.envelope().path("detail").path("id").asText(null);
        return new Case(
                name,
                built.body(),
                Expected.stored(
                        producerId != null
                                ? producerId
                                : built.envelope().get("id").asText()));
    }

    private record Built(ObjectNode envelope, String body) {}

    private static Built envelope(Consumer<ObjectNode> change) {
        ObjectNode detail = SampleEvents.detail("pricing");
        ObjectNode envelope = (ObjectNode)
                JSON.valueToTree(parse(SampleEvents.envelope("com.kahula.pricing.PriceChangedEvent", detail)));
        change.accept(envelope);
        return new Built(envelope, envelope.toString());
    }

    private static ObjectNode detail(ObjectNode envelope) {
        return (ObjectNode) envelope.get("detail");
    }

    private static Object parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A unique id of exactly {@code bytes} ASCII bytes. */
    private static String id(int bytes) {
        String token = token();
        return token + "x".repeat(bytes - token.length());
    }

    private static String token() {
        return UUID.randomUUID().toString();
    }
}
