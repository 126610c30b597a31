package com.kahula.eventpersister.event;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** Random JSON values for event details, and a writer that spells one value in any of the JSON texts denoting it. */
final class GeneratedJson {

    /** The top-level detail fields the payload hash leaves out. */
    static final Set<String> EXCLUDED = Set.of("id", "sagaId", "timestamp", "persister-replay");

    /** Top-level detail fields the parser reads or a generator adds; business content never uses them at the top. */
    static final Set<String> RESERVED = Set.of("id", "sagaId", "timestamp", "domain", "persister-replay", "padding");

    static final Null NULL = new Null();

    /** Top-level fields whose type the parser checks, so a respelling must not turn an integer into a decimal. */
    private static final Set<String> TYPED = Set.of("id", "sagaId", "timestamp", "domain");

    private static final Pattern JSON_NUMBER = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][-+]?[0-9]+)?");

    private static final List<String> WORDS = List.of(
            "sku",
            "price",
            "qty",
            "items",
            "name",
            "note",
            "data",
            "line",
            "meta",
            "tags",
            "amount",
            "currency",
            "ratio",
            "flags",
            "customer",
            "address",
            "version",
            "total",
            "source",
            "detail");

    private static final List<String> NESTED_RESERVED =
            List.of("id", "sagaId", "timestamp", "persister-replay", "domain");

    /**
     * Characters for generated text: mostly ASCII, then what needs escaping, Latin-1, other BMP, beyond the BMP. No
     * lone surrogate: RFC 8785 works on I-JSON, which has none, so valid content never holds one.
     */
    private static final int[][] ALPHABETS = {
        codePoints("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 _-:"),
        codePoints("\"\\/\b\f\n\r\t\u0000\u0001\u001f\u007f"),
        codePoints("\u00e9\u00fc\u00df\u00e7\u00f1\u00f8\u00c5\u00a0\u0085"),
        codePoints("\u20ac\u4e2d\u6587\u8a9e\ud55c\u2028\u2029\u200d\u05e9\u05dc\u05d5\u05dd\ufeff\uffff"),
        codePoints("\ud83d\ude00\ud834\udd1e\ud83d\udc69\ud83c\udffd\ud83d\ude80"),
    };

    /** Zero in the spellings JSON allows; RFC 8785 writes each as {@code 0}. */
    private static final String[] ZEROS = {"0", "-0", "0.0", "-0.0", "0.000", "0e0", "0E+3", "-0e-2", "0.0e10"};

    /**
     * Normal doubles only, none beyond the double range: below them {@code Double.toString} may keep a second digit
     * that ECMAScript drops (4.9E-324 against 5e-324), and beyond them RFC 8785 has no form.
     */
    private static final List<String> EDGE_NUMBERS = List.of(
            "1.7976931348623157e308",
            "2.2250738585072014E-308",
            "9007199254740993",
            "9007199254740992",
            "0.1",
            "1e21",
            "1e-7",
            "123456789012345678901234567890",
            "100",
            "1.10",
            "0.30000000000000004");

    private GeneratedJson() {}

    sealed interface Value permits Obj, Arr, Str, Num, Bool, Null {}

    /** A JSON object; its members keep the order they were added in. */
    record Obj(Map<String, Value> members) implements Value {
        Obj {
            members = Collections.unmodifiableMap(new LinkedHashMap<>(members));
        }

        /** This object with {@code key} set to {@code value}, in its old place if it had one, else last. */
        Obj with(String key, Value value) {
            LinkedHashMap<String, Value> copy = new LinkedHashMap<>(members);
            copy.put(key, value);
            return new Obj(copy);
        }

        Obj without(String key) {
            LinkedHashMap<String, Value> copy = new LinkedHashMap<>(members);
            copy.remove(key);
            return new Obj(copy);
        }

        @Nullable
        Value get(String key) {
            return members.get(key);
        }
    }

    record Arr(List<Value> items) implements Value {
        Arr {
            items = List.copyOf(items);
        }
    }

    record Str(String text) implements Value {}

    /** A number as spelled in JSON; its value is exact. */
    record Num(String spelling) implements Value {
        BigDecimal value() {
            return new BigDecimal(spelling);
        }
    }

    record Bool(boolean value) implements Value {}

    record Null() implements Value {}

    /** How a value is written: each switch spells the same content another way. */
    record Style(boolean shuffledKeys, boolean whitespace, boolean respelledNumbers, boolean escapedStrings) {

        static final Style PLAIN = new Style(false, false, false, false);

        static Style random(Random random) {
            return new Style(
                    random.nextInt(4) == 0, random.nextInt(4) == 0, random.nextInt(4) == 0, random.nextInt(4) == 0);
        }
    }

    /** Any JSON value; containers nest up to {@code depth} levels. */
    static Value value(Random random, int depth) {
        return switch (random.nextInt(depth > 0 ? 8 : 5)) {
            case 0, 1 -> new Str(text(random, 12));
            case 2 -> number(random);
            case 3 -> new Bool(random.nextBoolean());
            case 4 -> NULL;
            case 5, 6 -> object(random, depth - 1, true);
            default -> array(random, depth - 1);
        };
    }

    /**
     * An object of up to five members; {@code nested} ones may use the names the parser reads at the top of a detail,
     * which mean nothing below it.
     */
    static Obj object(Random random, int depth, boolean nested) {
        LinkedHashMap<String, Value> members = new LinkedHashMap<>();
        int size = random.nextInt(6);
        for (int i = 0; i < size; i++) {
            members.putIfAbsent(nested ? key(random, true) : topLevelKey(random), value(random, depth));
        }
        return new Obj(members);
    }

    static Arr array(Random random, int depth) {
        List<Value> items = new ArrayList<>();
        int size = random.nextInt(6);
        for (int i = 0; i < size; i++) {
            items.add(value(random, depth));
        }
        return new Arr(items);
    }

    static String key(Random random, boolean nested) {
        if (nested && random.nextInt(5) == 0) {
            return NESTED_RESERVED.get(random.nextInt(NESTED_RESERVED.size()));
        }
        return random.nextInt(4) == 0
                ? text(random, 8)
                : WORDS.get(random.nextInt(WORDS.size())) + (random.nextBoolean() ? "" : random.nextInt(100));
    }

    /** A key for the top of a detail: any but the reserved ones. */
    static String topLevelKey(Random random) {
        String key = key(random, false);
        while (RESERVED.contains(key)) {
            key = key(random, false);
        }
        return key;
    }

    /** Text of up to {@code maxLength} code points, none of them a lone surrogate. */
    static String text(Random random, int maxLength) {
        int length = random.nextInt(maxLength + 1);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++) {
            int[] alphabet =
                    random.nextInt(10) < 6 ? ALPHABETS[0] : ALPHABETS[1 + random.nextInt(ALPHABETS.length - 1)];
            text.appendCodePoint(alphabet[random.nextInt(alphabet.length)]);
        }
        return text.toString();
    }

    /** A number: integers small and beyond a long, decimals with trailing zeros, tiny, huge, in several spellings. */
    static Num number(Random random) {
        BigDecimal value = switch (random.nextInt(8)) {
            case 0 -> BigDecimal.valueOf(random.nextInt(2_001) - 1_000L);
            case 1 -> new BigDecimal(new BigInteger(64 + random.nextInt(40), random));
            case 2 -> {
                BigDecimal decimal = BigDecimal.valueOf(random.nextInt(100_000), 1 + random.nextInt(4));
                yield decimal.setScale(decimal.scale() + random.nextInt(3));
            }
            case 3 -> BigDecimal.valueOf(1 + random.nextInt(999), 7 + random.nextInt(20));
            case 4 -> new BigDecimal(BigInteger.valueOf(1 + random.nextInt(99_999)), random.nextInt(81) - 40);
            case 5 -> BigDecimal.ZERO.setScale(random.nextInt(4));
            case 6 -> new BigDecimal(BigInteger.valueOf(1 + random.nextInt(999)), random.nextInt(601) - 300);
            default -> new BigDecimal(EDGE_NUMBERS.get(random.nextInt(EDGE_NUMBERS.size())));
        };
        if (random.nextBoolean()) {
            value = value.negate();
        }
        if (value.signum() == 0) {
            return new Num(ZEROS[random.nextInt(ZEROS.length)]);
        }
        return new Num(random.nextInt(5) < 3 ? natural(value) : spell(value, random));
    }

    /** An integer as JSON digits, the form an integral producer id takes. */
    static Num integer(Random random) {
        BigInteger integer = new BigInteger(1 + random.nextInt(100), random);
        return new Num((random.nextInt(4) == 0 ? integer.negate() : integer).toString());
    }

    /** Writes {@code value} as JSON text in the given style. */
    static String write(Value value, Style style, Random random) {
        Writer writer = new Writer(style, random);
        writer.space();
        writer.value(value, 0, true);
        writer.space();
        return writer.out.toString();
    }

    /** The part of a detail the hash covers: all but the top-level excluded fields. */
    static Obj hashed(Obj detail) {
        Obj hashed = detail;
        for (String key : EXCLUDED) {
            hashed = hashed.without(key);
        }
        return hashed;
    }

    /** Another exact spelling of {@code value}: digits moved across the point, trailing zeros added, any exponent. */
    static String spell(BigDecimal value, Random random) {
        if (value.signum() == 0) {
            return ZEROS[random.nextInt(ZEROS.length)];
        }
        int extraZeros = random.nextInt(4);
        String digits = value.unscaledValue().abs() + "0".repeat(extraZeros);
        long scale = (long) value.scale() + extraZeros;
        int point = random.nextInt(digits.length() + 1);
        String mantissa;
        if (point == 0) {
            mantissa = "0." + digits;
        } else if (point == digits.length()) {
            mantissa = digits;
        } else {
            mantissa = digits.substring(0, point) + "." + digits.substring(point);
        }
        long exponent = digits.length() - point - scale;
        String spelled = (value.signum() < 0 ? "-" : "") + mantissa;
        if (exponent != 0 || random.nextBoolean()) {
            String sign = exponent < 0 ? "-" : random.nextBoolean() ? "+" : "";
            String zeros = random.nextInt(8) == 0 ? "0" : "";
            spelled += (random.nextBoolean() ? "e" : "E") + sign + zeros + Math.abs(exponent);
        }
        if (!JSON_NUMBER.matcher(spelled).matches() || new BigDecimal(spelled).compareTo(value) != 0) {
            throw new IllegalStateException("spelled " + value + " as " + spelled);
        }
        return spelled;
    }

    /** A spelling of the same double: the same decimal spelled anew, or the exact binary value of its double. */
    static String respell(BigDecimal value, Random random) {
        double asDouble = value.doubleValue();
        double magnitude = Math.abs(asDouble);
        // The exact binary value has about as many digits as the double's exponent, so only modest ones are used.
        if (random.nextInt(4) == 0 && magnitude >= 1e-20 && magnitude <= 1e20) {
            return spell(new BigDecimal(asDouble), random);
        }
        return spell(value, random);
    }

    private static String natural(BigDecimal value) {
        return value.scale() >= 0 && value.scale() <= 30 ? value.toPlainString() : value.toString();
    }

    private static int[] codePoints(String text) {
        return text.codePoints().toArray();
    }

    /** Writes JSON text; what the style leaves free (order, blanks, number and string spellings) is chosen at random. */
    private static final class Writer {

        private static final String BLANKS = " \t\n\r";

        private final Style style;
        private final Random random;
        private final StringBuilder out = new StringBuilder();

        Writer(Style style, Random random) {
            this.style = style;
            this.random = random;
        }

        void value(Value value, int depth, boolean respellable) {
            switch (value) {
                case Obj obj -> {
                    out.append('{');
                    List<Map.Entry<String, Value>> members =
                            new ArrayList<>(obj.members().entrySet());
                    if (style.shuffledKeys()) {
                        Collections.shuffle(members, random);
                    }
                    for (int i = 0; i < members.size(); i++) {
                        if (i > 0) {
                            space();
                            out.append(',');
                        }
                        space();
                        string(members.get(i).getKey());
                        space();
                        out.append(':');
                        space();
                        boolean typed =
                                depth == 0 && TYPED.contains(members.get(i).getKey());
                        value(members.get(i).getValue(), depth + 1, respellable && !typed);
                    }
                    space();
                    out.append('}');
                }
                case Arr arr -> {
                    out.append('[');
                    for (int i = 0; i < arr.items().size(); i++) {
                        if (i > 0) {
                            space();
                            out.append(',');
                        }
                        space();
                        value(arr.items().get(i), depth + 1, respellable);
                    }
                    space();
                    out.append(']');
                }
                case Str str -> string(str.text());
                case Num num ->
                    out.append(respellable && style.respelledNumbers() ? respell(num.value(), random) : num.spelling());
                case Bool bool -> out.append(bool.value());
                case Null ignored -> out.append("null");
            }
        }

        void space() {
            if (style.whitespace() && random.nextInt(3) == 0) {
                int count = 1 + random.nextInt(3);
                for (int i = 0; i < count; i++) {
                    out.append(BLANKS.charAt(random.nextInt(BLANKS.length())));
                }
            }
        }

        private void string(String text) {
            out.append('"');
            text.codePoints().forEach(this::codePoint);
            out.append('"');
        }

        private void codePoint(int c) {
            boolean escape = style.escapedStrings() && random.nextInt(3) == 0;
            String shortForm = switch (c) {
                case '"' -> "\\\"";
                case '\\' -> "\\\\";
                case '\b' -> "\\b";
                case '\f' -> "\\f";
                case '\n' -> "\\n";
                case '\r' -> "\\r";
                case '\t' -> "\\t";
                case '/' -> escape && random.nextBoolean() ? "\\/" : null;
                default -> null;
            };
            if (shortForm != null && !(escape && random.nextBoolean())) {
                out.append(shortForm);
            } else if (c < 0x20 || c == '"' || c == '\\' || escape) {
                for (char unit : Character.toChars(c)) {
                    String hex = "%04x".formatted((int) unit);
                    out.append("\\u").append(style.escapedStrings() && random.nextBoolean() ? hex.toUpperCase() : hex);
                }
            } else {
                out.appendCodePoint(c);
            }
        }
    }
}
