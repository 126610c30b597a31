package com.kahula.eventpersister.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class PayloadHasherTests {

    private final PayloadHasher hasher =
            new PayloadHasher(EventMapping.defaults().excludedFromHash());

    @Test
    void hashIsSha256OfCanonicalJson() throws Exception {
        byte[] canonical = "{\"a\":1,\"b\":\"x\"}".getBytes(StandardCharsets.UTF_8);
        String expected =
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));

        assertThat(hashOf("{ \"b\" : \"x\", \"a\" : 1.0 }")).isEqualTo(expected);
    }

    @Test
    void hashIgnoresKeyOrder() throws Exception {
        assertSameHash("{\"a\":1,\"b\":{\"c\":2,\"d\":3}}", "{\"b\":{\"d\":3,\"c\":2},\"a\":1}");
    }

    @Test
    void hashIgnoresWhitespace() throws Exception {
        assertSameHash("{\"a\":[1,2],\"b\":\"x y\"}", "{\n  \"a\" : [ 1 , 2 ],\n\t\"b\":\"x y\"\n}");
    }

    @Test
    void hashIgnoresSagaTimestampAndProducerId() throws Exception {
        assertSameHash(
                "{\"id\":\"e-1\",\"sagaId\":\"s-1\",\"timestamp\":\"2026-11-27T10:00:00Z\",\"sku\":\"A\"}",
                "{\"id\":\"e-2\",\"sagaId\":\"s-2\",\"timestamp\":1700000000000,\"sku\":\"A\"}");
    }

    @Test
    void hashTreatsExcludedFieldsAsAbsent() throws Exception {
        assertSameHash("{\"id\":\"e-1\",\"sagaId\":\"s-1\",\"timestamp\":\"t\",\"sku\":\"A\"}", "{\"sku\":\"A\"}");
    }

    @Test
    void hashIncludesDomain() throws Exception {
        assertDifferentHash("{\"domain\":\"catalog\",\"sku\":\"A\"}", "{\"domain\":\"billing\",\"sku\":\"A\"}");
    }

    @Test
    void hashIncludesBusinessFields() throws Exception {
        assertDifferentHash("{\"id\":\"e-1\",\"sku\":\"A\"}", "{\"id\":\"e-1\",\"sku\":\"B\"}");
    }

    @Test
    void hashIncludesNestedFieldsNamedLikeExcludedOnes() throws Exception {
        assertDifferentHash("{\"line\":{\"id\":1}}", "{\"line\":{\"id\":2}}");
    }

    @Test
    void hashIgnoresUnicodeEscaping() throws Exception {
        assertSameHash("{\"name\":\"caf\\u00e9\"}", "{\"name\":\"café\"}");
        assertSameHash("{\"e\":\"\\ud83d\\ude00\"}", "{\"e\":\"😀\"}");
        assertSameHash("{\"s\":\"a\\/b\"}", "{\"s\":\"a/b\"}");
    }

    @Test
    void hashFollowsRfc8785Numbers() throws Exception {
        assertSameHash("{\"n\":1.0}", "{\"n\":1}");
        assertSameHash("{\"n\":1e0}", "{\"n\":1}");
        assertSameHash("{\"n\":0.1}", "{\"n\":0.10}");
        assertSameHash("{\"n\":-0}", "{\"n\":0}");
        assertSameHash("{\"n\":1E+3}", "{\"n\":1000}");
        assertDifferentHash("{\"n\":2}", "{\"n\":3}");
        assertDifferentHash("{\"n\":0.1}", "{\"n\":0.2}");
        assertDifferentHash("{\"n\":1}", "{\"n\":\"1\"}");
    }

    @Test
    void hashComparesBigIntegersAsDoubles() throws Exception {
        // Both round to the same IEEE-754 double, which is RFC 8785's number model.
        assertSameHash("{\"n\":12345678901234567890123}", "{\"n\":12345678901234567890124}");
        assertDifferentHash("{\"n\":12345678901234567890123}", "{\"n\":22345678901234567890123}");
    }

    @Test
    void hashIsOrderSensitiveForArrays() throws Exception {
        assertDifferentHash("{\"a\":[1,2,3]}", "{\"a\":[3,2,1]}");
        assertSameHash("{\"a\":[{\"x\":1,\"y\":2}]}", "{\"a\":[{\"y\":2,\"x\":1}]}");
    }

    @Test
    void hashKeepsNullsAndEmptyContainers() throws Exception {
        assertDifferentHash("{\"a\":null}", "{}");
        assertDifferentHash("{\"a\":[]}", "{\"a\":{}}");
    }

    @Test
    void hashingLeavesDetailUntouched() throws Exception {
        ObjectNode detail =
                (ObjectNode) Json.read("{\"id\":\"e\",\"sagaId\":\"s\",\"timestamp\":\"t\",\"nested\":{\"k\":1.10}}");
        String before = Json.write(detail);

        hasher.hash(detail);

        assertThat(Json.write(detail)).isEqualTo(before);
    }

    @Test
    void hashRemovesNestedPointersWithoutTouchingSiblings() throws Exception {
        PayloadHasher nested =
                new PayloadHasher(new EventMapping("/meta/id", "/meta/saga", "/meta/at", "/domain").excludedFromHash());
        ObjectNode detail = (ObjectNode) Json.read("{\"meta\":{\"id\":\"e\",\"saga\":\"s\",\"v\":1},\"x\":2}");

        String hash = nested.hash(detail);

        assertThat(hash).isEqualTo(nested.hash((ObjectNode) Json.read("{\"meta\":{\"v\":1},\"x\":2}")));
        assertThat(Json.write(detail)).isEqualTo("{\"meta\":{\"id\":\"e\",\"saga\":\"s\",\"v\":1},\"x\":2}");
    }

    @Test
    void refusesNumbersBeyondDoubleRange() throws Exception {
        ObjectNode detail = (ObjectNode) Json.read("{\"n\":1e400}");

        assertThatIOException().isThrownBy(() -> hasher.hash(detail));
    }

    private void assertSameHash(String first, String second) throws IOException {
        assertThat(hashOf(first)).as("%s vs %s", first, second).isEqualTo(hashOf(second));
    }

    private void assertDifferentHash(String first, String second) throws IOException {
        assertThat(hashOf(first)).as("%s vs %s", first, second).isNotEqualTo(hashOf(second));
    }

    private String hashOf(String detailJson) throws IOException {
        return hasher.hash((ObjectNode) Json.read(detailJson));
    }
}
