package com.kahula.bench.cost;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * DynamoDB's documented sizing rules ("Item sizes and formats", "Read/write capacity unit consumption"), applied to items
 * in the wire format of DynamoDB's JSON protocol ({@code {"S": "..."}}, {@code {"N": "..."}}, ...): what an item weighs,
 * what an index entry weighs, and the units a write or a read of that many bytes consumes.
 */
public final class ItemSizes {

    /** What DynamoDB adds to each item it stores and to each entry of a secondary index, in bytes. */
    static final int PER_ITEM_OVERHEAD = 100;

    private static final int WRITE_UNIT_BYTES = 1024;
    private static final int READ_UNIT_BYTES = 4096;

    private ItemSizes() {}

    /** Bytes of an item: each attribute's name in UTF-8 plus its value. */
    public static long item(Map<String, JsonNode> item) {
        long bytes = 0;
        for (Map.Entry<String, JsonNode> attribute : item.entrySet()) {
            bytes += utf8(attribute.getKey()) + value(attribute.getValue());
        }
        return bytes;
    }

    /**
     * Bytes of one attribute value: strings by their UTF-8 length, numbers one byte per two significant digits plus
     * one, binaries by their length, booleans and nulls one byte, lists and maps three bytes plus one per element plus
     * the elements (a map's with their names), sets the sum of their elements.
     */
    public static long value(JsonNode value) {
        if (value.size() != 1) {
            throw new IllegalArgumentException("not one DynamoDB attribute value: " + value);
        }
        String type = value.fieldNames().next();
        JsonNode content = value.get(type);
        return switch (type) {
            case "S" -> utf8(content.asText());
            case "N" -> number(content.asText());
            case "B" -> Base64.getDecoder().decode(content.asText()).length;
            case "BOOL", "NULL" -> 1;
            case "SS" -> sum(content, element -> utf8(element.asText()));
            case "NS" -> sum(content, element -> number(element.asText()));
            case "BS" -> sum(content, element -> Base64.getDecoder().decode(element.asText()).length);
            case "L" -> 3 + sum(content, element -> 1 + value(element));
            case "M" -> {
                long bytes = 3;
                for (Map.Entry<String, JsonNode> entry : content.properties()) {
                    bytes += 1 + utf8(entry.getKey()) + value(entry.getValue());
                }
                yield bytes;
            }
            default -> throw new IllegalArgumentException("not a DynamoDB attribute type: " + type);
        };
    }

    /** Write units of a standard (not transactional) write of {@code bytes}: one per KB started, at least one. */
    public static long writeUnits(long bytes) {
        return Math.max(1, ceilDiv(bytes, WRITE_UNIT_BYTES));
    }

    /**
     * Read units of a read of {@code bytes}, counted in halves: two halves per 4 KB started for a strongly consistent
     * read, one for an eventually consistent one; at least one 4 KB block.
     */
    public static long readHalfUnits(long bytes, boolean consistent) {
        long blocks = Math.max(1, ceilDiv(bytes, READ_UNIT_BYTES));
        return consistent ? 2 * blocks : blocks;
    }

    private static long number(String text) {
        String digits =
                new BigDecimal(text).abs().stripTrailingZeros().unscaledValue().toString();
        return (digits.equals("0") ? 1 : (digits.length() + 1) / 2) + 1;
    }

    private static long sum(JsonNode elements, java.util.function.ToLongFunction<JsonNode> size) {
        long bytes = 0;
        for (JsonNode element : elements) {
            bytes += size.applyAsLong(element);
        }
        return bytes;
    }

    static long utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    private static long ceilDiv(long bytes, int unit) {
        return Math.ceilDiv(bytes, unit);
    }

    /** The attributes of an item in the wire format, in their order. */
    static Map<String, JsonNode> fields(JsonNode object) {
        Map<String, JsonNode> fields = new LinkedHashMap<>();
        object.properties().forEach(field -> fields.put(field.getKey(), field.getValue()));
        return fields;
    }

    static List<JsonNode> list(JsonNode array) {
        java.util.ArrayList<JsonNode> list = new java.util.ArrayList<>();
        array.forEach(list::add);
        return list;
    }
}
