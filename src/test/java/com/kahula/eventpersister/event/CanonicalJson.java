package com.kahula.eventpersister.event;

import com.kahula.eventpersister.event.GeneratedJson.Arr;
import com.kahula.eventpersister.event.GeneratedJson.Bool;
import com.kahula.eventpersister.event.GeneratedJson.Null;
import com.kahula.eventpersister.event.GeneratedJson.Num;
import com.kahula.eventpersister.event.GeneratedJson.Obj;
import com.kahula.eventpersister.event.GeneratedJson.Str;
import com.kahula.eventpersister.event.GeneratedJson.Value;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * RFC 8785 canonical JSON of a generated value, written from the RFC here so that the hash checks do not lean on the
 * canonicalization library the service uses; two values are the same content exactly when their forms are equal.
 */
final class CanonicalJson {

    private CanonicalJson() {}

    static String of(Value value) {
        StringBuilder out = new StringBuilder();
        write(value, out);
        return out.toString();
    }

    static boolean sameContent(Value first, Value second) {
        return of(first).equals(of(second));
    }

    /** SHA-256 over the UTF-8 bytes of the canonical form, in lower-case hex. */
    static String sha256(Value value) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256")
                            .digest(of(value).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK provides SHA-256", e);
        }
    }

    private static void write(Value value, StringBuilder out) {
        switch (value) {
            case Obj obj -> {
                // Keys sorted by their UTF-16 code units, which is the order String.compareTo gives.
                List<String> keys = obj.members().keySet().stream().sorted().toList();
                out.append('{');
                for (int i = 0; i < keys.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    string(keys.get(i), out);
                    out.append(':');
                    write(obj.members().get(keys.get(i)), out);
                }
                out.append('}');
            }
            case Arr arr -> {
                out.append('[');
                for (int i = 0; i < arr.items().size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    write(arr.items().get(i), out);
                }
                out.append(']');
            }
            case Str str -> string(str.text(), out);
            case Num num -> out.append(number(num.value().doubleValue()));
            case Bool bool -> out.append(bool.value());
            case Null ignored -> out.append("null");
        }
    }

    /** Escapes only what RFC 8785 escapes: the quote, the backslash and the controls, in their shortest form. */
    private static void string(String text, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append("\\u%04x".formatted((int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /**
     * ECMAScript's Number.prototype.toString: the shortest digits that read back as the double (which
     * {@code Double.toString} finds for normal doubles), plain between 1e-6 and 1e21, else with an exponent.
     */
    private static String number(double value) {
        if (Double.isInfinite(value) || Double.isNaN(value)) {
            throw new IllegalArgumentException("RFC 8785 has no form for " + value);
        }
        if (value == 0) {
            return "0";
        }
        BigDecimal shortest = new BigDecimal(Double.toString(Math.abs(value))).stripTrailingZeros();
        String digits = shortest.unscaledValue().toString();
        int k = digits.length();
        int n = k - shortest.scale();
        String magnitude;
        if (k <= n && n <= 21) {
            magnitude = digits + "0".repeat(n - k);
        } else if (0 < n && n <= 21) {
            magnitude = digits.substring(0, n) + "." + digits.substring(n);
        } else if (-6 < n && n <= 0) {
            magnitude = "0." + "0".repeat(-n) + digits;
        } else {
            int exponent = n - 1;
            magnitude = digits.charAt(0)
                    + (k > 1 ? "." + digits.substring(1) : "")
                    + "e"
                    + (exponent >= 0 ? "+" : "-")
                    + Math.abs(exponent);
        }
        return (value < 0 ? "-" : "") + magnitude;
    }
}
