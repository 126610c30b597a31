package com.kahula.eventpersister.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

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

    /**
     * Each hash was computed once by Node.js, RFC 8785 being JSON.parse, members sorted by UTF-16 code units and
     * JSON.stringify for every scalar, in bash:
     *
     * <pre>
     * C='function c(v){if(typeof v=="number"&amp;&amp;!isFinite(v))throw RangeError("no RFC 8785 form");return Array.isArray(v)?"["+v.map(c).join(",")+"]":v!==null&amp;&amp;typeof v=="object"?"{"+Object.keys(v).sort().map(k=&gt;JSON.stringify(k)+":"+c(v[k])).join(",")+"}":JSON.stringify(v)}'
     * node -e "$C;const d=JSON.parse(process.argv[1]);for(const k of [\"id\",\"sagaId\",\"timestamp\",\"persister-replay\"])delete d[k];process.stdout.write(require(\"crypto\").createHash(\"sha256\").update(c(d)).digest(\"hex\"))" '&lt;detail&gt;'
     * </pre>
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            `{"id":"9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c03","sagaId":"0e1d2c3b-4a59-4687-9a5b-4c3d2e1f0a99","domain":"pricing","timestamp":"2026-11-27T10:05:00+01:00","sku":"SKU-10042","oldPrice":129.90,"newPrice":119.9,"reason":"black-friday"}` | 9c74d1af07ea889d20ad98e1ab09969d4f8396fdbbb49b6470d88f2014f5867b
            `{"n":[1.0,1e0,1E+2,0.1,1e21,1e-7,-0,5e-324,12345678901234567890123,9007199254740993,1.7976931348623157e308]}` | c45bab6556ff6073c9098b19f954229919e407f6c1f22581c790d167607fb784
            `{"n":[1,1,100,0.10,1000000000000000000000,0.0000001,0,4.9e-324,1.2345678901234568e22,9007199254740992,17976931348623157e292]}` | c45bab6556ff6073c9098b19f954229919e407f6c1f22581c790d167607fb784
            `{"name":"caf\\u00e9 \\ud83d\\ude00","ctl":"\\u0001\\n","\\u20ac":"\\u2028"}` | 2fff1fbe3c996ad54e72451e0f1f7e76106d6e08f6f4b791acd9524bc779b6b3
            `{"b":{"y":[{"k":2,"j":1}],"x":null},"a":true,"id":"p-1"}` | 81c780f5fb53713a987be89e426d3f896c9a5594e86666841d7636f63da51c6a
            `{"n":[5e-324,-1e-310,2.2250738585072014e-308]}` | cfccf5a6f891e89e108be2d7e29ae4513dd84fa767871ed3db4baa54c6c23b37
            """)
    void hashEqualsWhatNodeJsComputesForTheSameDetail(String detail, String nodeHash) throws Exception {
        assertThat(hashOf(detail)).isEqualTo(nodeHash);
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

        assertThatExceptionOfType(PayloadHasher.NoCanonicalForm.class)
                .isThrownBy(() -> hasher.hash(detail))
                .withMessage("a number beyond the IEEE-754 double range");
    }

    /** The library's fallback conversion spins forever on 1e-315 and throws on 1e-314: refused before it is reached. */
    @ParameterizedTest
    @ValueSource(strings = {"1e-315", "1e-314", "9.999999999638807e-315", "-1e-315"})
    void refusesSubnormalNumbersTheLibraryCannotWriteInsteadOfHanging(String number) throws Exception {
        ObjectNode detail = (ObjectNode) Json.read("{\"a\":1,\"n\":[2," + number + "]}");

        assertTimeoutPreemptively(
                Duration.ofSeconds(5),
                () -> assertThatExceptionOfType(PayloadHasher.NoCanonicalForm.class)
                        .isThrownBy(() -> hasher.hash(detail))
                        .withMessage("a subnormal number that the canonicalization library cannot write"));
    }

    @Test
    void leavesASubnormalNumberOutOfTheCheckWhenItIsAnExcludedField() throws Exception {
        assertSameHash("{\"timestamp\":1e-315,\"a\":1}", "{\"a\":1}");
    }

    private void assertSameHash(String first, String second) throws Exception {
        assertThat(hashOf(first)).as("%s vs %s", first, second).isEqualTo(hashOf(second));
    }

    private void assertDifferentHash(String first, String second) throws Exception {
        assertThat(hashOf(first)).as("%s vs %s", first, second).isNotEqualTo(hashOf(second));
    }

    private String hashOf(String detailJson) throws Exception {
        return hasher.hash((ObjectNode) Json.read(detailJson));
    }
}
