package com.kahula.eventpersister.support;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What the service must store, computed a second time without its code or its libraries: the payload hash (RFC 8785
 * written here, SHA-256), the follow-up id (UUID v5 written here), the outbox shard of a pending follow-up and the
 * stored time format.
 */
public final class EventOracle {

    /** The namespace of follow-up ids: the stored contract, written here as a literal of its own. */
    private static final UUID FOLLOW_UP_NAMESPACE = UUID.fromString("6f0b4b8e-3c1d-5e2a-9f47-0d8c2a6b1e53");

    /** The top-level members of {@code detail} the hash leaves out under the default producer mapping. */
    private static final Set<String> NOT_HASHED = Set.of("id", "sagaId", "timestamp", "persister-replay");

    // Exact decimals and integers, so each number becomes a double once, by the JDK's correctly rounded conversion.
    // RFC 8785 takes I-JSON: a repeated member name has no canonical form.
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private EventOracle() {}

    /**
     * The RFC 8785 canonical form of {@code json}.
     *
     * @throws IllegalArgumentException when {@code json} is not JSON or has no canonical form (a number beyond the
     *     double range, a repeated member name, a lone surrogate)
     */
    public static String canonicalJson(String json) {
        StringBuilder out = new StringBuilder(json.length());
        write(read(json), out);
        return out.toString();
    }

    /**
     * The payload hash of an event's {@code detail}: lower-case hex SHA-256 of the UTF-8 canonical JSON of the detail
     * without its top-level {@code id}, {@code sagaId}, {@code timestamp} and {@code persister-replay}.
     *
     * @throws IllegalArgumentException when {@code detailJson} is not a JSON object with a canonical form
     */
    public static String payloadHash(String detailJson) {
        if (!(read(detailJson) instanceof ObjectNode detail)) {
            throw new IllegalArgumentException("detail must be a JSON object");
        }
        NOT_HASHED.forEach(detail::remove);
        StringBuilder canonical = new StringBuilder(detailJson.length());
        write(detail, canonical);
        return HexFormat.of().formatHex(digest("SHA-256", canonical.toString().getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * The id of the follow-up of type {@code type} of the event stored as {@code uniqueId}: the name-based UUID, version
     * 5 (RFC 4122 section 4.3), of {@code uniqueId + "\n" + type} in the follow-up namespace.
     */
    public static String followUpId(String uniqueId, String type) {
        byte[] name = (uniqueId + "\n" + type).getBytes(StandardCharsets.UTF_8);
        byte[] hashed = digest(
                "SHA-1",
                ByteBuffer.allocate(16 + name.length)
                        .putLong(FOLLOW_UP_NAMESPACE.getMostSignificantBits())
                        .putLong(FOLLOW_UP_NAMESPACE.getLeastSignificantBits())
                        .put(name)
                        .array());
        hashed[6] = (byte) ((hashed[6] & 0x0f) | 0x50); // version 5
        hashed[8] = (byte) ((hashed[8] & 0x3f) | 0x80); // the RFC 4122 variant
        ByteBuffer bits = ByteBuffer.wrap(hashed, 0, 16);
        return new UUID(bits.getLong(), bits.getLong()).toString();
    }

    /**
     * The {@code follow_up_outbox} value of an item whose follow-up is PENDING: {@code pending-00} to {@code
     * pending-15}, the shard being Java's {@code String.hashCode} of the unique id (JLS: {@code s[0]*31^(n-1) + ... +
     * s[n-1]} over its UTF-16 code units, in 32-bit two's complement arithmetic) taken modulo 16 towards minus infinity.
     */
    public static String outboxShard(String uniqueId) {
        int hash = 0;
        for (int i = 0; i < uniqueId.length(); i++) {
            hash = 31 * hash + uniqueId.charAt(i);
        }
        int shard = ((hash % 16) + 16) % 16;
        return "pending-%02d".formatted(shard);
    }

    /** {@code instant} as the table stores times: UTC, milliseconds truncated, {@code 2026-11-27T10:00:00.123Z}. */
    public static String storedTimestamp(Instant instant) {
        LocalDateTime utc = LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
        if (utc.getYear() < 0 || utc.getYear() > 9999) {
            throw new IllegalArgumentException("the stored form has four-digit years, not " + utc.getYear());
        }
        return "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ"
                .formatted(
                        utc.getYear(),
                        utc.getMonthValue(),
                        utc.getDayOfMonth(),
                        utc.getHour(),
                        utc.getMinute(),
                        utc.getSecond(),
                        utc.getNano() / 1_000_000);
    }

    /**
     * The {@code trace_id} and {@code trace_parent} columns of a message with these trace headers, read here by their
     * specifications (X-Ray's {@code Root=1-<8 hex>-<24 hex>;Parent=<16 hex>;Sampled=<0|1>}, W3C's version-00
     * traceparent, which wins when valid); empty when neither is valid.
     */
    public static Optional<Map<String, String>> traceColumns(
            @Nullable String awsTraceHeader, @Nullable String traceparent) {
        if (traceparent != null) {
            Matcher w3c = Pattern.compile("00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})")
                    .matcher(traceparent);
            if (w3c.matches()) {
                return Optional.of(Map.of("trace_id", w3c.group(1), "trace_parent", traceparent));
            }
        }
        if (awsTraceHeader != null) {
            Map<String, String> fields = new HashMap<>();
            for (String field : awsTraceHeader.split(";")) {
                String[] keyValue = field.split("=", 2);
                if (keyValue.length == 2) {
                    fields.put(keyValue[0].strip(), keyValue[1].strip());
                }
            }
            Matcher root = Pattern.compile("1-([0-9a-f]{8})-([0-9a-f]{24})").matcher(fields.getOrDefault("Root", ""));
            String parent = fields.getOrDefault("Parent", "");
            if (root.matches() && parent.matches("[0-9a-f]{16}")) {
                String traceId = root.group(1) + root.group(2);
                String flags = "1".equals(fields.get("Sampled")) ? "01" : "00";
                return Optional.of(
                        Map.of("trace_id", traceId, "trace_parent", "00-" + traceId + "-" + parent + "-" + flags));
            }
        }
        return Optional.empty();
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON with a canonical form: " + e.getOriginalMessage(), e);
        }
    }

    private static void write(JsonNode node, StringBuilder out) {
        switch (node.getNodeType()) {
            case OBJECT -> {
                List<Map.Entry<String, JsonNode>> members = new ArrayList<>(node.properties());
                // String.compareTo orders by UTF-16 code units, which is RFC 8785's order (section 3.2.3).
                members.sort(Map.Entry.comparingByKey());
                out.append('{');
                for (int i = 0; i < members.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    writeString(members.get(i).getKey(), out);
                    out.append(':');
                    write(members.get(i).getValue(), out);
                }
                out.append('}');
            }
            case ARRAY -> {
                out.append('[');
                for (int i = 0; i < node.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    write(node.get(i), out);
                }
                out.append(']');
            }
            case STRING -> writeString(node.textValue(), out);
            case NUMBER -> out.append(ecmaScriptNumber(toDouble(node.numberValue())));
            case BOOLEAN -> out.append(node.booleanValue());
            case NULL -> out.append("null");
            default -> throw new IllegalArgumentException("no JSON value: " + node.getNodeType());
        }
    }

    /** RFC 8785 section 3.2.2.2: only the quote, the backslash and the controls are escaped, the rest is literal. */
    private static void writeString(String text, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\f' -> out.append("\\f");
                case '\r' -> out.append("\\r");
                default -> {
                    if (c < 0x20) {
                        out.append("\\u00")
                                .append(Character.forDigit(c >> 4, 16))
                                .append(Character.forDigit(c & 0xf, 16));
                    } else if (Character.isHighSurrogate(c)
                            && i + 1 < text.length()
                            && Character.isLowSurrogate(text.charAt(i + 1))) {
                        out.append(c).append(text.charAt(++i));
                    } else if (Character.isSurrogate(c)) {
                        // I-JSON (RFC 7493), which RFC 8785 takes as input, has no unpaired surrogates.
                        throw new IllegalArgumentException("a lone surrogate has no canonical form");
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /** The IEEE-754 double a JSON number denotes, rounded to nearest by the JDK. */
    private static double toDouble(Number number) {
        double value = switch (number) {
            case BigDecimal decimal -> decimal.doubleValue();
            case BigInteger integer -> integer.doubleValue();
            case Long whole -> (double) whole;
            case Integer whole -> (double) whole;
            default -> throw new IllegalArgumentException("unexpected number type " + number.getClass());
        };
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(number + " is beyond the double range: it has no canonical form");
        }
        return value;
    }

    /**
     * ECMAScript's Number::toString (ECMA-262, 6.1.6.1.20), which RFC 8785 prescribes: the fewest significant digits
     * that read back as {@code value}, the closest of them to it on a choice; plain from 1e-6 to below 1e21, else
     * exponent notation; {@code -0} is {@code 0}.
     */
    private static String ecmaScriptNumber(double value) {
        if (value == 0) {
            return "0";
        }
        String sign = value < 0 ? "-" : "";
        Decimal shortest = shortest(Math.abs(value));
        String digits = shortest.digits();
        int k = digits.length();
        int n = shortest.pointPosition();
        String magnitude;
        if (k <= n && n <= 21) {
            magnitude = digits + "0".repeat(n - k);
        } else if (0 < n && n <= 21) {
            magnitude = digits.substring(0, n) + "." + digits.substring(n);
        } else if (-6 < n && n <= 0) {
            magnitude = "0." + "0".repeat(-n) + digits;
        } else {
            String exponent = (n - 1 < 0 ? "-" : "+") + Math.abs(n - 1);
            magnitude = (k == 1 ? digits : digits.charAt(0) + "." + digits.substring(1)) + "e" + exponent;
        }
        return sign + magnitude;
    }

    /**
     * Significant digits {@code s} and point position {@code n} with {@code value = 0.s * 10^n}, {@code s} as short as
     * possible. Java 19+'s {@code Double.toString} gives the shortest digits except where one digit would do: there it
     * may give two that lie closer (4.9E-324 for 5e-324), so one-digit candidates are tried first.
     */
    private static Decimal shortest(double positive) {
        Decimal java = Decimal.of(Double.toString(positive));
        if (java.digits().length() == 2) {
            BigDecimal exact = new BigDecimal(positive);
            int scale = java.pointPosition() - 1;
            Decimal best = null;
            BigDecimal bestDistance = null;
            int lead = java.digits().charAt(0) - '0';
            for (int digit = lead; digit <= lead + 1; digit++) {
                BigDecimal candidate = BigDecimal.valueOf(digit).scaleByPowerOfTen(scale);
                if (candidate.doubleValue() != positive) {
                    continue;
                }
                BigDecimal distance = candidate.subtract(exact).abs();
                if (bestDistance == null || distance.compareTo(bestDistance) < 0) {
                    best = Decimal.of(candidate.toString());
                    bestDistance = distance;
                }
            }
            if (best != null) {
                return best;
            }
        }
        return java;
    }

    /** A positive decimal {@code 0.digits * 10^pointPosition}, digits without leading or trailing zeros. */
    private record Decimal(String digits, int pointPosition) {

        /** Reads Java's and BigDecimal's number text: {@code 123.45}, {@code 1.0E-5}, {@code 5E-324}, {@code 1E+1}. */
        static Decimal of(String text) {
            int e = text.indexOf('E');
            String mantissa = e < 0 ? text : text.substring(0, e);
            int exponent = e < 0 ? 0 : Integer.parseInt(text.substring(e + 1));
            int dot = mantissa.indexOf('.');
            String all = dot < 0 ? mantissa : mantissa.substring(0, dot) + mantissa.substring(dot + 1);
            int point = (dot < 0 ? mantissa.length() : dot) + exponent;
            int leadingZeros = 0;
            while (all.charAt(leadingZeros) == '0') {
                leadingZeros++;
            }
            int end = all.length();
            while (all.charAt(end - 1) == '0') {
                end--;
            }
            return new Decimal(all.substring(leadingZeros, end), point - leadingZeros);
        }
    }

    private static byte[] digest(String algorithm, byte[] input) {
        try {
            return MessageDigest.getInstance(algorithm).digest(input);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK provides " + algorithm, e);
        }
    }
}
