package com.kahula.bench.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** DynamoDB's sizing rules; each expected size is counted by hand from the rules, byte by byte, in the comment. */
class ItemSizesTests {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void countsNamesAndValuesInUtf8() {
        // unique_id 9 + abc 3; s 1 + é 2 + € 3; flag 4 + 1; nothing 7 + 1
        assertThat(ItemSizes.item(item("""
                        {"unique_id": {"S": "abc"}, "s": {"S": "é€"}, "flag": {"BOOL": true}, "nothing": {"NULL": true}}
                        """))).isEqualTo(12 + 6 + 5 + 8);
    }

    @Test
    void countsANumberByItsSignificantDigits() {
        // 123.450 has five significant digits: 3 bytes for them, 1 more; -0.007 has one: 1 + 1; 0: 1 + 1
        assertThat(ItemSizes.value(value("{\"N\": \"123.450\"}"))).isEqualTo(4);
        assertThat(ItemSizes.value(value("{\"N\": \"-0.007\"}"))).isEqualTo(2);
        assertThat(ItemSizes.value(value("{\"N\": \"0\"}"))).isEqualTo(2);
    }

    @Test
    void countsListsAndMapsWithTheirOverheadAndEachElementsByte() {
        // 3 + (1 + ab 2) + (1 + the number 7: 1 + 1)
        assertThat(ItemSizes.value(value("{\"L\": [{\"S\": \"ab\"}, {\"N\": \"7\"}]}")))
                .isEqualTo(3 + 3 + 3);
        // 3 + (1 + name a 1 + xy 2)
        assertThat(ItemSizes.value(value("{\"M\": {\"a\": {\"S\": \"xy\"}}}"))).isEqualTo(3 + 4);
        // a set is its elements: ab 2 + cde 3
        assertThat(ItemSizes.value(value("{\"SS\": [\"ab\", \"cde\"]}"))).isEqualTo(5);
        // base64 of three bytes
        assertThat(ItemSizes.value(value("{\"B\": \"AQID\"}"))).isEqualTo(3);
    }

    @Test
    void refusesWhatIsNotAnAttributeValue() {
        assertThatIllegalArgumentException().isThrownBy(() -> ItemSizes.value(value("{\"X\": \"1\"}")));
        assertThatIllegalArgumentException().isThrownBy(() -> ItemSizes.value(value("{\"S\": \"a\", \"N\": \"1\"}")));
    }

    @Test
    void aWriteCostsOneUnitPerKilobyteStartedAndAReadOneHalfPerFourKilobytesEventuallyConsistent() {
        assertThat(ItemSizes.writeUnits(0)).isEqualTo(1);
        assertThat(ItemSizes.writeUnits(1024)).isEqualTo(1);
        assertThat(ItemSizes.writeUnits(1025)).isEqualTo(2);
        assertThat(ItemSizes.readHalfUnits(0, false)).isEqualTo(1);
        assertThat(ItemSizes.readHalfUnits(4096, true)).isEqualTo(2);
        assertThat(ItemSizes.readHalfUnits(4097, false)).isEqualTo(2);
        assertThat(ItemSizes.readHalfUnits(4097, true)).isEqualTo(4);
    }

    static Map<String, JsonNode> item(String json) {
        Map<String, JsonNode> item = new LinkedHashMap<>();
        value(json).properties().forEach(attribute -> item.put(attribute.getKey(), attribute.getValue()));
        return item;
    }

    static JsonNode value(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
