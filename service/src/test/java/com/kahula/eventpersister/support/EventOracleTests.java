package com.kahula.eventpersister.support;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.nameMatching;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.time.Instant;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Holds the oracle to literals other tools computed once: Node.js for RFC 8785 and SHA-256, Python for UUID v5, GNU
 * date for the stored time.
 *
 * <p>The commands, in bash, with Node.js 20 and Python 3.11 ({@code '<json>'} is the input as the test spells it, its
 * Java escapes resolved):
 *
 * <pre>
 * C='function c(v){if(typeof v=="number"&amp;&amp;!isFinite(v))throw RangeError("no RFC 8785 form");return Array.isArray(v)?"["+v.map(c).join(",")+"]":v!==null&amp;&amp;typeof v=="object"?"{"+Object.keys(v).sort().map(k=&gt;JSON.stringify(k)+":"+c(v[k])).join(",")+"}":JSON.stringify(v)}'
 * canonical() { node -e "$C;process.stdout.write(c(JSON.parse(process.argv[1])))" "$1"; }
 * payload_hash() { node -e "$C;const d=JSON.parse(process.argv[1]);for(const k of [\"id\",\"sagaId\",\"timestamp\",\"persister-replay\"])delete d[k];process.stdout.write(require(\"crypto\").createHash(\"sha256\").update(c(d)).digest(\"hex\"))" "$1"; }
 * follow_up_id() { python3 -c 'import sys,uuid;print(uuid.uuid5(uuid.UUID("6f0b4b8e-3c1d-5e2a-9f47-0d8c2a6b1e53"),sys.argv[1]+"\n"+sys.argv[2]),end="")' "$1" "$2"; }
 * stored_time() { date -u -d "@$1" +%Y-%m-%dT%H:%M:%S.%3NZ; }
 * outbox_shard() { python3 -c 'import sys;b=sys.argv[1].encode("utf-16-be");h=0
 * for i in range(0,len(b),2):h=(31*h+int.from_bytes(b[i:i+2],"big"))&0xffffffff
 * print("pending-%02d"%((h-(h>>31<<32))%16),end="")' "$1"; }
 * </pre>
 */
class EventOracleTests {

    @Test
    void sortsMembersByUtf16CodeUnits() {
        // canonical '{"\u20ac":"Euro Sign","\r":"Carriage Return","\ufb33":"Hebrew Letter Dalet With Dagesh","1":"One",
        //   "\ud83d\ude00":"Emoji: Grinning Face","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis"}'
        // (RFC 8785 section 3.2.3's example: U+1F600, a surrogate pair from 0xD83D, sorts before U+FB33)
        String json = "{\"\\u20ac\":\"Euro Sign\",\"\\r\":\"Carriage Return\",\"\\ufb33\":\"Hebrew Letter Dalet With"
                + " Dagesh\",\"1\":\"One\",\"\\ud83d\\ude00\":\"Emoji: Grinning Face\",\"\\u0080\":\"Control\","
                + "\"\\u00f6\":\"Latin Small Letter O With Diaeresis\"}";

        assertThat(EventOracle.canonicalJson(json))
                .isEqualTo("{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\",\"\u00f6\":\"Latin Small"
                        + " Letter O With Diaeresis\",\"\u20ac\":\"Euro Sign\",\"\ud83d\ude00\":\"Emoji: Grinning"
                        + " Face\",\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\"}");
    }

    @Test
    void sortsNestedObjectsAndKeepsArrayOrder() {
        // canonical '{"b":{"z":[3,2,1],"y":{"d":null,"c":{}}},"a":[{"k":2,"j":1}]}'
        assertThat(EventOracle.canonicalJson(
                        "{\"b\":{\"z\":[3,2,1],\"y\":{\"d\":null,\"c\":{}}},\"a\":[{\"k\":2,\"j\":1}]}"))
                .isEqualTo("{\"a\":[{\"j\":1,\"k\":2}],\"b\":{\"y\":{\"c\":{},\"d\":null},\"z\":[3,2,1]}}");
    }

    @Test
    void writesArraysOfMixedTypesWithoutWhitespace() {
        // canonical '[56, {"d": true, "10": null, "1": [ ]}, "x", false, null, -0.5, 1e-7, [[]], {}]'
        assertThat(EventOracle.canonicalJson(
                        "[56, {\"d\": true, \"10\": null, \"1\": [ ]}, \"x\", false, null, -0.5, 1e-7, [[]], {}]"))
                .isEqualTo("[56,{\"1\":[],\"10\":null,\"d\":true},\"x\",false,null,-0.5,1e-7,[[]],{}]");
    }

    @Test
    void writesEveryCharacterLiterallyButTheQuoteTheBackslashAndControls() {
        // canonical '{"s":"caf\u00e9 d\u00e9j\u00e0 \ud83d\ude00 \u2028 \u007f a\/b \"q\" \\ <>&"}'
        String json = "{\"s\":\"caf\\u00e9 d\\u00e9j\\u00e0 \\ud83d\\ude00 \\u2028 \\u007f a\\/b \\\"q\\\" \\\\ <>&\"}";

        assertThat(EventOracle.canonicalJson(json))
                .isEqualTo("{\"s\":\"caf\u00e9 d\u00e9j\u00e0 \ud83d\ude00 \u2028 \u007f a/b \\\"q\\\" \\\\ <>&\"}");
    }

    @Test
    void escapesControlCharactersByNameOrInLowerCaseHex() {
        // canonical '["\u0000\u0001\u0007\b\t\n\u000b\f\r\u000e\u001f\u0020"]'
        String json = "[\"\\u0000\\u0001\\u0007\\b\\t\\n\\u000b\\f\\r\\u000e\\u001f\\u0020\"]";

        assertThat(EventOracle.canonicalJson(json))
                .isEqualTo("[\"\\u0000\\u0001\\u0007\\b\\t\\n\\u000b\\f\\r\\u000e\\u001f \"]");
    }

    // canonical "[$number]", one call a row
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            1.0                      | 1
            1e0                      | 1
            1E+2                     | 100
            100                      | 100
            -5                       | -5
            0.1                      | 0.1
            0.10                     | 0.1
            0.30000000000000004      | 0.30000000000000004
            123.456                  | 123.456
            1e20                     | 100000000000000000000
            1e21                     | 1e+21
            999999999999999999999    | 1e+21
            1e23                     | 1e+23
            0.000001                 | 0.000001
            0.0000012345             | 0.0000012345
            9.999999999999997e-7     | 9.999999999999997e-7
            1e-7                     | 1e-7
            1.2345e-7                | 1.2345e-7
            -0                       | 0
            -0.0                     | 0
            5e-324                   | 5e-324
            4.9e-324                 | 5e-324
            1e-323                   | 1e-323
            1.5e-323                 | 1.5e-323
            2e-323                   | 2e-323
            1e-400                   | 0
            2.2250738585072014e-308  | 2.2250738585072014e-308
            2.225073858507201e-308   | 2.225073858507201e-308
            -1.5E-300                | -1.5e-300
            123e300                  | 1.23e+302
            1e308                    | 1e+308
            1.7976931348623157e308   | 1.7976931348623157e+308
            9007199254740992         | 9007199254740992
            9007199254740993         | 9007199254740992
            -12345678901234567890    | -12345678901234567000
            295147905179352825856    | 295147905179352830000
            12345678901234567890123  | 1.2345678901234568e+22
            """)
    void writesNumbersAsTheDoubleTheyDenoteInEcmaScriptForm(String number, String canonical) {
        assertThat(EventOracle.canonicalJson("[" + number + "]")).isEqualTo("[" + canonical + "]");
    }

    @Test
    void refusesWhatHasNoCanonicalForm() {
        // canonical throws RangeError on the first three: JSON.parse gives Infinity
        assertThatIllegalArgumentException().isThrownBy(() -> EventOracle.canonicalJson("[1e400]"));
        assertThatIllegalArgumentException().isThrownBy(() -> EventOracle.canonicalJson("[-1E+309]"));
        assertThatIllegalArgumentException().isThrownBy(() -> EventOracle.canonicalJson("[1" + "0".repeat(400) + "]"));
        // I-JSON, which RFC 8785 canonicalizes, has neither lone surrogates nor repeated names
        assertThatIllegalArgumentException().isThrownBy(() -> EventOracle.canonicalJson("[\"half \\ud800 pair\"]"));
        assertThatIllegalArgumentException().isThrownBy(() -> EventOracle.canonicalJson("[\"\\udc00\\ud800\"]"));
        assertThatIllegalArgumentException().isThrownBy(() -> EventOracle.canonicalJson("{\"a\":1,\"a\":2}"));
        assertThatIllegalArgumentException().isThrownBy(() -> EventOracle.canonicalJson("{\"a\":1} {}"));
        assertThatIllegalArgumentException().isThrownBy(() -> EventOracle.canonicalJson("not json"));
    }

    @Test
    void hashLeavesOutTheTopLevelIdsTimestampAndReplayMark() {
        // payload_hash '{"id":"p-1","sagaId":"s-1","timestamp":"2026-11-27T10:00:00.123Z","persister-replay":"fix-1",
        //   "domain":"catalog","sku":"SKU-1","price":19.90}'
        // payload_hash '{"price":19.9,"sku":"SKU-1","domain":"catalog"}' (the same)
        String hash = "9f9d2ec1abb9768f1f50a074fd45e350fd754da96b9a85168aa3d58873c7486c";

        assertThat(
                        EventOracle.payloadHash(
                                "{\"id\":\"p-1\",\"sagaId\":\"s-1\",\"timestamp\":\"2026-11-27T10:00:00.123Z\","
                                        + "\"persister-replay\":\"fix-1\",\"domain\":\"catalog\",\"sku\":\"SKU-1\",\"price\":19.90}"))
                .isEqualTo(hash);
        assertThat(EventOracle.payloadHash("{\"price\":19.9,\"sku\":\"SKU-1\",\"domain\":\"catalog\"}"))
                .isEqualTo(hash);
    }

    @Test
    void hashKeepsMembersNamedLikeTheLeftOutOnesDeeperDown() {
        // payload_hash '{"id":"p-1","line":{"id":1,"sagaId":"s","timestamp":"t","persister-replay":"x"}}'
        assertThat(
                        EventOracle.payloadHash(
                                "{\"id\":\"p-1\",\"line\":{\"id\":1,\"sagaId\":\"s\",\"timestamp\":\"t\",\"persister-replay\":\"x\"}}"))
                .isEqualTo("1a6490d97627da97ac0b4d9907753353496ae8b76c08e27c9fba8fa95451d08c");
    }

    @Test
    void hashReadsEverySpellingOfANumberAsItsDouble() {
        // payload_hash
        // '{"a":1.0,"b":1e0,"c":1E+2,"d":0.10,"e":-0,"f":12345678901234567890123,"g":1e-7,"h":5e-324,"i":1e21}'
        // payload_hash '{"a":1,"b":1,"c":100,"d":0.1,"e":0,"f":12345678901234567890124,"g":0.0000001,"h":4.9e-324,
        //   "i":1000000000000000000000}' (the same)
        String hash = "c1b9295101214e3c15c81be6087ceeb818e0d85ea9fbfbf7da85225839be43b3";

        assertThat(EventOracle.payloadHash("{\"a\":1.0,\"b\":1e0,\"c\":1E+2,\"d\":0.10,\"e\":-0,"
                        + "\"f\":12345678901234567890123,\"g\":1e-7,\"h\":5e-324,\"i\":1e21}"))
                .isEqualTo(hash);
        assertThat(EventOracle.payloadHash("{\"a\":1,\"b\":1,\"c\":100,\"d\":0.1,\"e\":0,\"f\":12345678901234567890124,"
                        + "\"g\":0.0000001,\"h\":4.9e-324,\"i\":1000000000000000000000}"))
                .isEqualTo(hash);
    }

    @Test
    void hashReadsUnicodeEscapesAsTheirCharacters() {
        // payload_hash
        // '{"name":"caf\u00e9","emoji":"\ud83d\ude00","tab":"a\tb","ctl":"\u0001","slash":"a\/b","\u20ac":true}'
        // payload_hash '{"name":"café","emoji":"😀","tab":"a\u0009b","ctl":"\u0001","slash":"a/b","€":true}' (the same)
        String hash = "3b17299e4c6b707c10a7a5d75b71d144b878ebcf72ac31140b0729006da23a06";

        assertThat(EventOracle.payloadHash("{\"name\":\"caf\\u00e9\",\"emoji\":\"\\ud83d\\ude00\",\"tab\":\"a\\tb\","
                        + "\"ctl\":\"\\u0001\",\"slash\":\"a\\/b\",\"\\u20ac\":true}"))
                .isEqualTo(hash);
        assertThat(EventOracle.payloadHash("{\"name\":\"caf\u00e9\",\"emoji\":\"\ud83d\ude00\",\"tab\":\"a\\u0009b\","
                        + "\"ctl\":\"\\u0001\",\"slash\":\"a/b\",\"\u20ac\":true}"))
                .isEqualTo(hash);
    }

    @Test
    void hashOfAnEmptyDetailIsTheHashOfTwoBraces() {
        // payload_hash '{"id":"p-1"}', which is also: printf '{}' | sha256sum
        assertThat(EventOracle.payloadHash("{\"id\":\"p-1\"}"))
                .isEqualTo("44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a");
    }

    @Test
    void hashRefusesADetailThatIsNoObject() {
        assertThatIllegalArgumentException().isThrownBy(() -> EventOracle.payloadHash("[1]"));
        assertThatIllegalArgumentException().isThrownBy(() -> EventOracle.payloadHash("\"detail\""));
    }

    @Test
    void followUpIdIsTheNameBasedUuidOfTheUniqueIdAndType() {
        // follow_up_id p-1 ValidatableEvent; follow_up_id p-2 ValidatableEvent; follow_up_id p-1 IndexableEvent;
        // follow_up_id 0b6f8a52-6a0e-4d55-9a53-8f3c2f1d7e01 ValidatableEvent; follow_up_id é-1 ValidatableEvent
        assertThat(EventOracle.followUpId("p-1", "ValidatableEvent")).isEqualTo("43306142-cc90-5f42-b707-3230affe6d8e");
        assertThat(EventOracle.followUpId("p-2", "ValidatableEvent")).isEqualTo("bd50b830-18b6-593a-a132-5dbd92198aaa");
        assertThat(EventOracle.followUpId("p-1", "IndexableEvent")).isEqualTo("d25ab461-38ba-50e4-9dc2-1602f278dc6e");
        assertThat(EventOracle.followUpId("0b6f8a52-6a0e-4d55-9a53-8f3c2f1d7e01", "ValidatableEvent"))
                .isEqualTo("4a73bc25-4208-5432-ba4a-a37426803d4f");
        assertThat(EventOracle.followUpId("\u00e9-1", "ValidatableEvent"))
                .isEqualTo("2949289b-52cc-5bea-b3fb-b78d9f300804");
        UUID id = UUID.fromString(EventOracle.followUpId("p-1", "ValidatableEvent"));
        assertThat(id.version()).isEqualTo(5);
        assertThat(id.variant()).isEqualTo(2);
    }

    @Test
    void outboxShardIsTheStringHashOfTheUniqueIdModuloSixteenTowardsMinusInfinity() {
        // outbox_shard p-1; outbox_shard p-2; outbox_shard 4f3e2d1c-0b9a-4877-8665-5a4b3c2d1e04; outbox_shard é-1;
        // outbox_shard 😀-x; outbox_shard polygenelubricants (hash -2^31); outbox_shard order-1 (hash -1207111310);
        // outbox_shard 0b6f8a52-6a0e-4d55-9a53-8f3c2f1d7e01 (hash -2092846522)
        assertThat(EventOracle.outboxShard("p-1")).isEqualTo("pending-04");
        assertThat(EventOracle.outboxShard("p-2")).isEqualTo("pending-05");
        assertThat(EventOracle.outboxShard("4f3e2d1c-0b9a-4877-8665-5a4b3c2d1e04"))
                .isEqualTo("pending-09");
        assertThat(EventOracle.outboxShard("\u00e9-1")).isEqualTo("pending-13");
        assertThat(EventOracle.outboxShard("\ud83d\ude00-x")).isEqualTo("pending-14");
        assertThat(EventOracle.outboxShard("polygenelubricants")).isEqualTo("pending-00");
        assertThat(EventOracle.outboxShard("order-1")).isEqualTo("pending-02");
        assertThat(EventOracle.outboxShard("0b6f8a52-6a0e-4d55-9a53-8f3c2f1d7e01"))
                .isEqualTo("pending-06");
    }

    @Test
    void storedTimestampIsUtcWithMillisecondsTruncated() {
        // stored_time 1795773600.123456789; stored_time 1795773600; stored_time 0; stored_time -0.001;
        // stored_time 253402300799.999
        assertThat(EventOracle.storedTimestamp(Instant.ofEpochSecond(1_795_773_600L, 123_456_789)))
                .isEqualTo("2026-11-27T10:00:00.123Z");
        assertThat(EventOracle.storedTimestamp(Instant.ofEpochSecond(1_795_773_600L)))
                .isEqualTo("2026-11-27T10:00:00.000Z");
        assertThat(EventOracle.storedTimestamp(Instant.EPOCH)).isEqualTo("1970-01-01T00:00:00.000Z");
        assertThat(EventOracle.storedTimestamp(Instant.ofEpochMilli(-1))).isEqualTo("1969-12-31T23:59:59.999Z");
        assertThat(EventOracle.storedTimestamp(Instant.ofEpochSecond(253_402_300_799L, 999_000_000)))
                .isEqualTo("9999-12-31T23:59:59.999Z");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> EventOracle.storedTimestamp(Instant.ofEpochSecond(253_402_300_800L)));
    }

    @Test
    void theOracleUsesNothingOfTheServiceNorItsLibrariesForTheseValues() {
        String oracle = Pattern.quote(EventOracle.class.getName()) + "(\\$.*)?";

        noClasses()
                .that()
                .haveNameMatching(oracle)
                .should()
                .dependOnClassesThat(
                        resideInAnyPackage("com.kahula..", "org.erdtman..", "com.fasterxml.uuid..", "software.amazon..")
                                .and(not(nameMatching(oracle))))
                .because("an oracle that shares the code it checks agrees with it by construction")
                .check(new ClassFileImporter().importPackagesOf(EventOracle.class));
    }
}
