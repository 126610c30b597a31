package com.kahula.eventpersister.event;

import static com.kahula.eventpersister.event.GeneratedJson.NULL;

import com.kahula.eventpersister.event.GeneratedJson.Arr;
import com.kahula.eventpersister.event.GeneratedJson.Bool;
import com.kahula.eventpersister.event.GeneratedJson.Num;
import com.kahula.eventpersister.event.GeneratedJson.Obj;
import com.kahula.eventpersister.event.GeneratedJson.Str;
import com.kahula.eventpersister.event.GeneratedJson.Style;
import com.kahula.eventpersister.event.GeneratedJson.Value;
import com.kahula.eventpersister.support.EventOracle;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.IntFunction;
import org.assertj.core.presentation.Representation;
import org.assertj.core.presentation.StandardRepresentation;
import org.jspecify.annotations.Nullable;

/**
 * Seeded EventBridge envelopes, about four in five valid and the rest bad on purpose, each with the answer the parser
 * must give; also arbitrary text and envelope shapes. Seeded generators under plain JUnit rather than a property
 * library or a fuzzer: deterministic, every input reported and rerun identically in every {@code ./mvnw verify}, no
 * agent (Jazzer's JUnit fuzz tests only replay their corpus unless JAZZER_FUZZ is set).
 */
final class GeneratedEnvelopes {

    static final long SEED = 24;

    /** The body limit the parser under test is built with. */
    static final int MAX_BODY_BYTES = 65_536;

    static final Instant RECEIVED_AT = Instant.parse("2026-11-30T10:00:00.250Z");

    /** Characters {@code String.isBlank} counts as blank, beyond the ASCII space. */
    private static final String BLANK = " \t\n\r\u000b\f\u001c\u001f\u2003\u2028\u3000";

    private static final List<String> SEGMENTS =
            List.of("com", "kahula", "catalog", "billing", "Outer", "Inner", "v2", "caf\u00e9", "\u4e2d\u6587", "");

    private static final List<String> NAMES = List.of(
            "ProductUpdatedEvent",
            "PriceChanged",
            "OrderPlacedEvent",
            "Caf\u00e9Ouvert",
            "\u6ce8\u6587",
            " Spaced Name ",
            "E",
            "42",
            "\ud83d\ude80Launched");

    private static final List<String> NOT_ISO = List.of(
            "yesterday",
            "now",
            "1764237600123",
            "2026-11-27",
            "10:00:00Z",
            "2026-11-27T10:00:00",
            "2026-11-27 10:00:00Z",
            "2026-11-27T10:00:00Z[Europe/Paris]",
            "2026-11-27T10:00:00.1234567891Z",
            "2026-11-27T10:00:00+19:00",
            "2026-11-27T24:00:00Z",
            "2026-13-01T00:00:00Z",
            "2026-02-30T00:00:00Z",
            "27/11/2026 10:00",
            "2026-W48-5T10:00:00Z");

    /** Values at the parser's edges: beyond a double, beyond a decimal, beyond a long, past year 9999, blank. */
    private static final List<String> ODD_VALUES =
            List.of("1e400", "1e99999999999", "-0", "12345678901234567890123", "253402300800000", "\"\"", "\"  \"");

    private static final List<String> NOT_NUMBERS =
            List.of("NaN", "Infinity", "-Infinity", "012", "+1", ".5", "1.", "1e", "0x1F", "1_000", "-", "--1", "1e+");

    private static final List<String> TOKENS = List.of(
            "{",
            "}",
            "[",
            "]",
            ":",
            ",",
            "\"id\"",
            "\"detail\"",
            "\"detail-type\"",
            "\"source\"",
            "\"time\"",
            "\"timestamp\"",
            "\"sagaId\"",
            "\"x\"",
            "\"\"",
            "\"\\u0000\"",
            "\"\\ud800\"",
            "\"\\\"",
            "0",
            "-0",
            "1.5",
            "1e400",
            "1e99999999999",
            "-",
            "1e",
            "true",
            "false",
            "null",
            "NaN",
            "'a'",
            "/*",
            "*/",
            "\\",
            "\"",
            "\u0000",
            "\ufeff",
            "\"2026-11-27T10:00:00Z\"",
            "1764237600123",
            "253402300800000");

    private GeneratedEnvelopes() {}

    /** A message body and the answer it must get; the label names it in reports, the body shows on failure. */
    record Envelope(String label, String body, Answer answer) {
        @Override
        public String toString() {
            return label;
        }
    }

    sealed interface Answer permits Stored, Refused {}

    /** What the parser must store for a valid envelope, worked out from what the generator put in. */
    record Stored(
            String uniqueId,
            @Nullable String mbocdpId,
            String awsId,
            @Nullable String sagaId,
            String eventName,
            String detailType,
            @Nullable String domain,
            String source,
            String timestamp,
            String detail,
            Obj content)
            implements Answer {}

    record Refused(ParserRejection reason) implements Answer {}

    /** A message body whose only expectation is an answer; the label names it in reports. */
    record Body(String label, String text) {
        @Override
        public String toString() {
            return label;
        }
    }

    /** A producer id, saga id or domain as sent ({@code sent} null when absent) and what the parser reads from it. */
    record Carried(@Nullable Value sent, @Nullable String read, String kind) {}

    /** A valid detail: its content, what it carries, and the instant of its timestamp, null when it has none. */
    record Detail(
            Obj content,
            Carried id,
            Carried sagaId,
            Carried domain,
            @Nullable Instant timestamp,
            String kind) {}

    /** Valid envelopes only. */
    static List<Envelope> valid(long seed, int count) {
        return generate(count, index -> {
            Random random = random(seed, index);
            return valid(validDraft(random), random, seed, index);
        });
    }

    /** About four in five valid, the rest each with one defect and the rejection it must get. */
    static List<Envelope> mixed(long seed, int count) {
        return generate(count, index -> {
            Random random = random(seed, index);
            Draft draft = validDraft(random);
            if (random.nextInt(5) > 0) {
                return valid(draft, random, seed, index);
            }
            Defect defect = DEFECTS.get(random.nextInt(DEFECTS.size()));
            Bad bad = defect.make().apply(draft, random);
            return new Envelope(
                    label(seed, index, "bad, " + defect.reason().code() + ": " + bad.what()),
                    bad.body(),
                    new Refused(defect.reason()));
        });
    }

    /** Arbitrary text: random characters, JSON-like token soup, mangled envelopes, nesting at the parser's limit. */
    static List<Body> texts(long seed, int count) {
        return generate(count, index -> {
            Random random = random(seed, index);
            return switch (random.nextInt(4)) {
                case 0 -> {
                    String text = randomCharacters(random, random.nextInt(200));
                    yield new Body(label(seed, index, "random characters (" + text.length() + " chars)"), text);
                }
                case 1 -> {
                    StringBuilder text = new StringBuilder();
                    int tokens = 1 + random.nextInt(80);
                    for (int i = 0; i < tokens; i++) {
                        text.append(TOKENS.get(random.nextInt(TOKENS.size())));
                        text.append(random.nextInt(4) == 0 ? blank(random, 2) : "");
                    }
                    yield new Body(label(seed, index, tokens + " JSON-like tokens"), text.toString());
                }
                case 2 -> {
                    String body = validDraft(random).render();
                    int edits = 1 + random.nextInt(5);
                    for (int i = 0; i < edits; i++) {
                        body = mangle(body, random);
                    }
                    yield new Body(label(seed, index, "envelope with " + edits + " random edits"), body);
                }
                default -> {
                    int depth = 990 + random.nextInt(21);
                    String open = random.nextBoolean() ? "[" : "{\"a\":";
                    String text =
                            open.repeat(depth) + "1" + (open.equals("[") ? "]" : "}").repeat(random.nextInt(depth + 1));
                    yield new Body(label(seed, index, "nested " + depth + " deep"), text);
                }
            };
        });
    }

    /** Envelopes whose every field is present or not and of any JSON type, the detail's fields likewise. */
    static List<Body> shapes(long seed, int count) {
        return generate(count, index -> {
            Random random = random(seed, index);
            List<String> members = new ArrayList<>();
            StringBuilder what = new StringBuilder();
            for (String field : List.of("id", "detail-type", "source", "time", "version", "detail")) {
                Shaped shaped = shaped(field, random);
                what.append(what.isEmpty() ? "" : ", ")
                        .append(field)
                        .append(' ')
                        .append(shaped.kind());
                if (shaped.raw() != null) {
                    members.add(quoted(field) + ":" + shaped.raw());
                }
            }
            if (random.nextBoolean()) {
                Collections.shuffle(members, random);
            }
            return new Body(label(seed, index, what.toString()), "{" + String.join(",", members) + "}");
        });
    }

    /** A valid detail with the fields the parser reads each present or not, and business content around them. */
    static Detail detail(Random random) {
        Obj business = GeneratedJson.object(random, 3, false);
        Carried id = carried(random);
        Carried sagaId = carried(random);
        Carried domain = carried(random);
        LinkedHashMap<String, Value> read = new LinkedHashMap<>();
        putCarried(read, "id", id);
        putCarried(read, "sagaId", sagaId);
        putCarried(read, "domain", domain);
        Instant timestamp = null;
        String kind;
        switch (random.nextInt(20)) {
            case 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 -> {
                GeneratedTimes.Iso iso = GeneratedTimes.iso(GeneratedTimes.instant(random), random);
                read.put("timestamp", new Str(iso.text()));
                timestamp = iso.instant();
                kind = "ISO timestamp";
            }
            case 12, 13, 14 -> {
                long millis = GeneratedTimes.instant(random).toEpochMilli();
                read.put("timestamp", new Num(Long.toString(millis)));
                timestamp = Instant.ofEpochMilli(millis);
                kind = "epoch millis";
            }
            case 15 -> {
                read.put("timestamp", NULL);
                kind = "null timestamp";
            }
            case 16 -> {
                read.put("timestamp", new Str(blank(random, 3)));
                kind = "blank timestamp";
            }
            default -> kind = "no timestamp";
        }
        if (random.nextInt(10) == 0) {
            read.put(
                    "persister-replay",
                    random.nextBoolean() ? new Str(nonBlank(random)) : GeneratedJson.value(random, 2));
        }
        List<Map.Entry<String, Value>> members =
                new ArrayList<>(business.members().entrySet());
        read.forEach((key, value) -> members.add(random.nextInt(members.size() + 1), Map.entry(key, value)));
        LinkedHashMap<String, Value> content = new LinkedHashMap<>();
        members.forEach(member -> content.put(member.getKey(), member.getValue()));
        return new Detail(new Obj(content), id, sagaId, domain, timestamp, kind);
    }

    /** A valid envelope around {@code detail}, which must be a valid detail; its time stands in for a missing timestamp. */
    static String around(String detail) {
        return "{\"version\":\"0\",\"id\":\"6a7e8feb-b491-4cf7-a9f1-bf3703467718\","
                + "\"detail-type\":\"com.kahula.catalog.ProductUpdatedEvent\",\"source\":\"kahula.catalog\","
                + "\"time\":\"2026-11-27T10:00:00Z\",\"detail\":" + detail + "}";
    }

    /** Each input's own random, from the seed and its index, so that any one can be made again alone. */
    static Random random(long seed, int index) {
        long mixed = seed * 0x9E3779B97F4A7C15L + index;
        mixed = (mixed ^ (mixed >>> 30)) * 0xBF58476D1CE4E5B9L;
        mixed = (mixed ^ (mixed >>> 27)) * 0x94D049BB133111EBL;
        return new Random(mixed ^ (mixed >>> 31));
    }

    static String label(long seed, int index, String what) {
        String label = "seed " + seed + " #" + index + ": " + what;
        return label.length() > 120 ? label.substring(0, 117) + "..." : label;
    }

    static <T> List<T> generate(int count, IntFunction<T> input) {
        List<T> inputs = new ArrayList<>(count);
        for (int index = 1; index <= count; index++) {
            inputs.add(input.apply(index));
        }
        return inputs;
    }

    /**
     * {@code text} as a Java string literal on one line, so that a failure shows the input exactly: controls, lone
     * surrogates and invisible characters escaped.
     */
    static String shown(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            int type = Character.getType(c);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c == ' '
                    || !(type == Character.CONTROL
                            || type == Character.FORMAT
                            || type == Character.SURROGATE
                            || type == Character.SPACE_SEPARATOR
                            || type == Character.LINE_SEPARATOR
                            || type == Character.PARAGRAPH_SEPARATOR
                            || type == Character.UNASSIGNED
                            || type == Character.PRIVATE_USE)) {
                out.append(c);
            } else if (Character.isHighSurrogate(c)
                    && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                out.append(c).append(text.charAt(++i));
            } else {
                out.append("\\u%04x".formatted((int) c));
            }
        }
        return out.append('"').toString();
    }

    /** An AssertJ representation that writes each string as {@link #shown} does, so no report holds a raw control. */
    static final Representation SHOWN = new StandardRepresentation() {
        @Override
        protected String toStringOf(String text) {
            return shown(text);
        }
    };

    /** The parser's answer in a few words, {@code parsed} or {@code refused, <reason code>}, safe in any report. */
    static String answerOf(ParseResult result) {
        return switch (result) {
            case ParseResult.Parsed ignored -> "parsed";
            case ParseResult.ParserRejected rejected ->
                "refused, " + rejected.reason().code();
        };
    }

    /** Text that is not blank: random text with a letter somewhere in it, between two code points. */
    static String nonBlank(Random random) {
        String text = GeneratedJson.text(random, 12);
        int at = text.offsetByCodePoints(0, random.nextInt(text.codePointCount(0, text.length()) + 1));
        return text.substring(0, at) + (char) ('a' + random.nextInt(26)) + text.substring(at);
    }

    /** Up to two of the blanks JSON allows between tokens, maybe none. */
    private static String jsonBlank(Random random) {
        StringBuilder blank = new StringBuilder();
        int length = random.nextInt(3);
        for (int i = 0; i < length; i++) {
            blank.append(" \t\n\r".charAt(random.nextInt(4)));
        }
        return blank.toString();
    }

    /** Up to {@code maxLength} characters that {@code String.isBlank} counts as blank, maybe none. */
    static String blank(Random random, int maxLength) {
        StringBuilder text = new StringBuilder();
        int length = random.nextInt(maxLength + 1);
        for (int i = 0; i < length; i++) {
            text.append(BLANK.charAt(random.nextInt(BLANK.length())));
        }
        return text.toString();
    }

    static Carried carried(Random random) {
        return switch (random.nextInt(10)) {
            case 0, 1 -> new Carried(null, null, "absent");
            case 2 -> new Carried(NULL, null, "null");
            case 3 -> new Carried(new Str(blank(random, 3)), null, "blank");
            case 4, 5 -> {
                Num integer = GeneratedJson.integer(random);
                yield new Carried(integer, integer.spelling(), "integer");
            }
            default -> {
                String text = nonBlank(random);
                yield new Carried(new Str(text), text, "text");
            }
        };
    }

    private static void putCarried(Map<String, Value> detail, String key, Carried carried) {
        if (carried.sent() != null) {
            detail.put(key, carried.sent());
        }
    }

    private static Draft validDraft(Random random) {
        String awsId =
                random.nextInt(4) > 0 ? new UUID(random.nextLong(), random.nextLong()).toString() : nonBlank(random);
        StringBuilder detailType = new StringBuilder();
        int segments = random.nextInt(5);
        for (int i = 0; i < segments; i++) {
            detailType.append(SEGMENTS.get(random.nextInt(SEGMENTS.size()))).append(random.nextBoolean() ? '.' : '$');
        }
        String eventName = NAMES.get(random.nextInt(NAMES.size()));
        detailType.append(eventName);
        String source =
                random.nextBoolean() ? "kahula." + SEGMENTS.get(random.nextInt(SEGMENTS.size())) : nonBlank(random);
        Detail detail = detail(random);
        Draft draft = new Draft(random, awsId, detailType.toString(), eventName, source, detail);
        String time;
        Instant instant;
        String timeKind;
        if (detail.timestamp() != null) {
            instant = detail.timestamp();
            // With a timestamp in the detail the parser never reads the envelope's time, whatever it holds.
            time = switch (random.nextInt(3)) {
                case 0 -> null;
                case 1 -> string(anyIso(random), random);
                default -> GeneratedJson.write(GeneratedJson.value(random, 1), Style.PLAIN, random);
            };
            timeKind = detail.kind();
        } else if (random.nextInt(6) == 0) {
            long millis = GeneratedTimes.instant(random).toEpochMilli();
            time = Long.toString(millis);
            instant = Instant.ofEpochMilli(millis);
            timeKind = detail.kind() + ", envelope time in millis";
        } else {
            GeneratedTimes.Iso iso = GeneratedTimes.iso(GeneratedTimes.instant(random), random);
            time = string(iso.text(), random);
            instant = iso.instant();
            timeKind = detail.kind() + ", envelope time";
        }
        draft.instant = instant;
        draft.what = "producer id " + detail.id().kind() + ", " + timeKind;
        if (random.nextInt(4) > 0) {
            draft.put("version", "\"0\"");
        }
        draft.put("id", string(awsId, random));
        draft.put("detail-type", string(detailType.toString(), random));
        draft.put("source", string(source, random));
        if (random.nextBoolean()) {
            draft.put("account", "\"111122223333\"");
        }
        if (time != null) {
            draft.put("time", time);
        }
        if (random.nextBoolean()) {
            draft.put("region", "\"eu-west-1\"");
            draft.put("resources", random.nextBoolean() ? "[]" : "[\"arn:aws:events:eu-west-1:111122223333:rule/r\"]");
        }
        draft.put("detail", draft.detailText);
        if (random.nextInt(4) == 0) {
            draft.shuffle(random);
        }
        return draft;
    }

    /** A valid draft, one in a hundred padded to exactly the body limit. */
    private static Envelope valid(Draft draft, Random random, long seed, int index) {
        if (random.nextInt(100) == 0) {
            String unit = random.nextBoolean() ? "x" : "\u00e9";
            draft.pad(MAX_BODY_BYTES, unit);
            draft.what = "at the body limit in " + (unit.equals("x") ? "ASCII" : "two-byte letters");
        }
        return draft.stored(seed, index);
    }

    /** An envelope under construction: its members as raw JSON, its detail both as a value and as the text sent. */
    private static final class Draft {

        private final LinkedHashMap<String, String> keys = new LinkedHashMap<>();
        private final LinkedHashMap<String, String> members = new LinkedHashMap<>();
        private final String awsId;
        private final String detailType;
        private final String eventName;
        private final String source;
        private final Detail detail;
        private final Style detailStyle;
        private final String open;
        private final String colon;
        private final String comma;
        private final String close;
        private Obj content;
        private String detailText;
        private int missingCommaAt = -1;
        private Instant instant = Instant.EPOCH;
        private String what = "";

        Draft(Random random, String awsId, String detailType, String eventName, String source, Detail detail) {
            this.awsId = awsId;
            this.detailType = detailType;
            this.eventName = eventName;
            this.source = source;
            this.detail = detail;
            this.detailStyle = Style.random(random);
            boolean spaced = random.nextInt(4) == 0;
            this.open = spaced ? "{\n  " : "{";
            this.colon = spaced ? ": " : ":";
            this.comma = spaced ? ",\n  " : ",";
            this.close = spaced ? "\n}" : "}";
            this.content = detail.content();
            this.detailText = GeneratedJson.write(content, detailStyle, random);
        }

        void put(String name, String raw) {
            keys.putIfAbsent(name, quoted(name));
            members.put(name, raw);
        }

        void remove(String name) {
            keys.remove(name);
            members.remove(name);
        }

        void shuffle(Random random) {
            List<String> names = new ArrayList<>(members.keySet());
            Collections.shuffle(names, random);
            LinkedHashMap<String, String> shuffled = new LinkedHashMap<>();
            names.forEach(name -> shuffled.put(name, members.get(name)));
            members.clear();
            members.putAll(shuffled);
        }

        /** Replaces the detail's content, written in this draft's style. */
        void replaceContent(Obj changed, Random random) {
            content = changed;
            detailText = GeneratedJson.write(changed, detailStyle, random);
            members.put("detail", detailText);
        }

        /** Puts raw member text first into the detail as sent, leaving its content as it was. */
        void injectIntoDetail(String member) {
            members.put(
                    "detail", injected(detailText, member, !content.members().isEmpty()));
        }

        /** Pads the detail with a string of {@code unit}s (ASCII where the size needs) to make the body that size. */
        void pad(long bytes, String unit) {
            String sent = detailText;
            boolean hadMembers = !content.members().isEmpty();
            members.put("detail", injected(sent, "\"padding\":\"\"", hadMembers));
            long missing = bytes - utf8(render());
            int unitBytes = utf8(unit);
            String padding = "x".repeat((int) (missing % unitBytes)) + unit.repeat((int) (missing / unitBytes));
            detailText = injected(sent, "\"padding\":\"" + padding + "\"", hadMembers);
            members.put("detail", detailText);
            content = content.with("padding", new Str(padding));
        }

        String render() {
            StringBuilder body = new StringBuilder(open);
            int i = 0;
            for (Map.Entry<String, String> member : members.entrySet()) {
                if (i > 0 && i != missingCommaAt) {
                    body.append(comma);
                } else if (i > 0) {
                    body.append(' ');
                }
                body.append(keys.get(member.getKey())).append(colon).append(member.getValue());
                i++;
            }
            return body.append(close).toString();
        }

        Envelope stored(long seed, int index) {
            Carried id = detail.id();
            String uniqueId = id.read() != null ? id.read() : awsId;
            Stored stored = new Stored(
                    uniqueId,
                    id.read(),
                    awsId,
                    detail.sagaId().read(),
                    eventName,
                    detailType,
                    detail.domain().read(),
                    source,
                    EventOracle.storedTimestamp(instant),
                    detailText,
                    content);
            return new Envelope(label(seed, index, "valid, " + what), render(), stored);
        }

        private static String injected(String detailText, String member, boolean hadMembers) {
            int open = detailText.indexOf('{');
            return detailText.substring(0, open + 1)
                    + member
                    + (hadMembers ? "," : "")
                    + detailText.substring(open + 1);
        }
    }

    /** A bad body and what is wrong with it, in a few words. */
    private record Bad(String body, String what) {}

    @FunctionalInterface
    private interface Maker {
        Bad apply(Draft draft, Random random);
    }

    private record Defect(ParserRejection reason, Maker make) {}

    private static final List<Defect> DEFECTS = List.of(
            new Defect(ParserRejection.EMPTY_BODY, (draft, random) -> {
                String body = BLANK.charAt(random.nextInt(BLANK.length())) + blank(random, 5);
                return new Bad(body, "blank body");
            }),
            new Defect(ParserRejection.TOO_LARGE, (draft, random) -> {
                draft.pad(MAX_BODY_BYTES + 1 + random.nextInt(4), "x");
                return new Bad(draft.render(), "over the body limit");
            }),
            new Defect(ParserRejection.TOO_LARGE, (draft, random) -> {
                draft.pad(MAX_BODY_BYTES + 1 + random.nextInt(4), random.nextBoolean() ? "\u00e9" : "\ud83d\ude00");
                return new Bad(draft.render(), "over the body limit in UTF-8 only");
            }),
            new Defect(ParserRejection.NOT_JSON, (draft, random) -> {
                String body = draft.render();
                return new Bad(body.substring(0, 1 + random.nextInt(body.length() - 1)), "cut short");
            }),
            new Defect(ParserRejection.NOT_JSON, (draft, random) -> {
                String tail = List.of("}", " {}", ",", "x", "]", " \"tail\"", " 0", "{")
                        .get(random.nextInt(8));
                return new Bad(draft.render() + tail, "trailing tokens");
            }),
            new Defect(
                    ParserRejection.NOT_JSON, (draft, random) -> new Bad("\ufeff" + draft.render(), "byte order mark")),
            new Defect(ParserRejection.NOT_JSON, (draft, random) -> {
                List<String> names = new ArrayList<>(draft.members.keySet());
                String name = names.get(random.nextInt(names.size()));
                String body = draft.render();
                return new Bad(
                        body.charAt(0) + quoted(name) + ":" + draft.members.get(name) + "," + body.substring(1),
                        "envelope repeats " + name);
            }),
            new Defect(ParserRejection.NOT_JSON, (draft, random) -> {
                if (draft.content.members().isEmpty()) {
                    draft.replaceContent(
                            draft.content.with(GeneratedJson.topLevelKey(random), GeneratedJson.value(random, 1)),
                            random);
                }
                List<String> names = new ArrayList<>(draft.content.members().keySet());
                String name = names.get(random.nextInt(names.size()));
                draft.injectIntoDetail(GeneratedJson.write(new Str(name), Style.PLAIN, random) + ":1");
                return new Bad(draft.render(), "detail repeats a key");
            }),
            new Defect(ParserRejection.NOT_JSON, (draft, random) -> {
                char control = (char) random.nextInt(0x20);
                draft.put("source", "\"kahula" + control + "catalog\"");
                return new Bad(draft.render(), "raw control character in source");
            }),
            new Defect(ParserRejection.NOT_JSON, (draft, random) -> {
                draft.put("source", "'kahula.catalog'");
                return new Bad(draft.render(), "single-quoted source");
            }),
            new Defect(ParserRejection.NOT_JSON, (draft, random) -> {
                draft.keys.put("source", "source");
                return new Bad(draft.render(), "unquoted key");
            }),
            new Defect(ParserRejection.NOT_JSON, (draft, random) -> {
                draft.missingCommaAt = 1 + random.nextInt(draft.members.size() - 1);
                return new Bad(draft.render(), "missing comma");
            }),
            new Defect(ParserRejection.NOT_JSON, (draft, random) -> {
                int depth = 1_000 + random.nextInt(300);
                draft.injectIntoDetail("\"deep\":" + "[".repeat(depth) + "]".repeat(depth));
                return new Bad(draft.render(), "nested over 1000 deep");
            }),
            new Defect(ParserRejection.NOT_JSON, (draft, random) -> {
                StringBuilder digits = new StringBuilder("1");
                int length = 1_000 + random.nextInt(200);
                for (int i = 0; i < length; i++) {
                    digits.append(random.nextInt(10));
                }
                draft.injectIntoDetail("\"n\":" + digits);
                return new Bad(draft.render(), "number of over 1000 digits");
            }),
            new Defect(ParserRejection.NOT_JSON, (draft, random) -> {
                String number = NOT_NUMBERS.get(random.nextInt(NOT_NUMBERS.size()));
                draft.injectIntoDetail("\"n\":" + number);
                return new Bad(draft.render(), "number spelled " + number);
            }),
            new Defect(ParserRejection.NOT_JSON, (draft, random) -> {
                draft.injectIntoDetail(random.nextBoolean() ? "/* note */\"n\":1" : "\"n\":1 // note\n");
                return new Bad(draft.render(), "comment");
            }),
            new Defect(ParserRejection.NOT_JSON, (draft, random) -> {
                String escape = List.of("\\x", "\\u12G4", "\\u12", "\\U0041", "\\'", "\\a")
                        .get(random.nextInt(6));
                draft.put("source", "\"kahula" + escape + "\"");
                return new Bad(draft.render(), "bad escape " + escape);
            }),
            new Defect(ParserRejection.NOT_AN_ENVELOPE, (draft, random) -> {
                String body = draft.render();
                String value = switch (random.nextInt(6)) {
                    case 0 -> "[" + body + "]";
                    case 1 -> GeneratedJson.write(new Str(body), Style.PLAIN, random);
                    case 2 -> GeneratedJson.number(random).spelling();
                    case 3 -> "true";
                    case 4 -> "false";
                    default -> "null";
                };
                return new Bad(jsonBlank(random) + value + jsonBlank(random), "JSON but not an object");
            }),
            new Defect(ParserRejection.MISSING_ID, (draft, random) -> notText(draft, "id", random)),
            new Defect(ParserRejection.MISSING_DETAIL_TYPE, (draft, random) -> notText(draft, "detail-type", random)),
            new Defect(ParserRejection.MISSING_SOURCE, (draft, random) -> notText(draft, "source", random)),
            new Defect(ParserRejection.DETAIL_NOT_OBJECT, (draft, random) -> {
                String what;
                switch (random.nextInt(6)) {
                    case 0 -> {
                        draft.remove("detail");
                        what = "no detail";
                    }
                    case 1 -> {
                        draft.put("detail", "null");
                        what = "null detail";
                    }
                    case 2 -> {
                        draft.put("detail", GeneratedJson.write(new Str(draft.detailText), Style.PLAIN, random));
                        what = "detail encoded as a string";
                    }
                    case 3 -> {
                        draft.put("detail", "[" + draft.detailText + "]");
                        what = "detail in an array";
                    }
                    case 4 -> {
                        draft.put("detail", GeneratedJson.number(random).spelling());
                        what = "numeric detail";
                    }
                    default -> {
                        draft.put("detail", "true");
                        what = "boolean detail";
                    }
                }
                return new Bad(draft.render(), what);
            }),
            new Defect(ParserRejection.INVALID_FIELD, (draft, random) -> {
                String prefix = random.nextBoolean() ? "" : "com.kahula";
                String type = prefix + (random.nextBoolean() ? '.' : '$') + blank(random, 2);
                draft.put("detail-type", GeneratedJson.write(new Str(type), Style.PLAIN, random));
                return new Bad(draft.render(), "detail-type without a name");
            }),
            new Defect(ParserRejection.INVALID_FIELD, (draft, random) -> wrongType(draft, "id", random)),
            new Defect(ParserRejection.INVALID_FIELD, (draft, random) -> wrongType(draft, "sagaId", random)),
            new Defect(ParserRejection.INVALID_FIELD, (draft, random) -> wrongType(draft, "domain", random)),
            new Defect(ParserRejection.INVALID_FIELD, (draft, random) -> {
                String spelled = List.of(
                                "1e400", "-1e400", "2e308", "1.7976931348623159e308", "-1.8E+308", "9".repeat(400))
                        .get(random.nextInt(6));
                Value huge = new Num(spelled);
                Value placed = switch (random.nextInt(3)) {
                    case 0 -> huge;
                    case 1 -> new Arr(List.of(GeneratedJson.value(random, 1), huge));
                    default -> new Obj(new LinkedHashMap<>(Map.of(GeneratedJson.key(random, true), huge)));
                };
                draft.replaceContent(draft.content.with(GeneratedJson.topLevelKey(random), placed), random);
                return new Bad(draft.render(), "number beyond the double range");
            }),
            new Defect(ParserRejection.INVALID_FIELD, (draft, random) -> {
                String spelled = List.of("1e99999999999", "-2E+99999999999", "1e-99999999999")
                        .get(random.nextInt(3));
                if (random.nextBoolean()) {
                    draft.injectIntoDetail("\"n\":" + spelled);
                } else {
                    draft.put("version", spelled);
                }
                return new Bad(draft.render(), "exponent beyond any decimal");
            }),
            new Defect(ParserRejection.INVALID_TIMESTAMP, (draft, random) -> {
                BadTime time = badTime(random);
                draft.replaceContent(draft.content.with("timestamp", time.value()), random);
                return new Bad(draft.render(), "timestamp " + time.what());
            }),
            new Defect(ParserRejection.INVALID_TIMESTAMP, (draft, random) -> {
                withoutDetailTimestamp(draft, random);
                switch (random.nextInt(3)) {
                    case 0 -> draft.remove("time");
                    case 1 -> draft.put("time", "null");
                    default -> draft.put("time", GeneratedJson.write(new Str(blank(random, 3)), Style.PLAIN, random));
                }
                return new Bad(draft.render(), "no timestamp and no envelope time");
            }),
            new Defect(ParserRejection.INVALID_TIMESTAMP, (draft, random) -> {
                withoutDetailTimestamp(draft, random);
                BadTime time = badTime(random);
                draft.put("time", GeneratedJson.write(time.value(), Style.PLAIN, random));
                return new Bad(draft.render(), "no timestamp, envelope time " + time.what());
            }));

    private static Bad notText(Draft draft, String field, Random random) {
        String what;
        switch (random.nextInt(7)) {
            case 0 -> {
                draft.remove(field);
                what = "no " + field;
            }
            case 1 -> {
                draft.put(field, "null");
                what = "null " + field;
            }
            case 2 -> {
                draft.put(field, GeneratedJson.write(new Str(blank(random, 4)), Style.PLAIN, random));
                what = "blank " + field;
            }
            case 3 -> {
                draft.put(field, GeneratedJson.number(random).spelling());
                what = "numeric " + field;
            }
            case 4 -> {
                draft.put(field, Boolean.toString(random.nextBoolean()));
                what = "boolean " + field;
            }
            case 5 -> {
                draft.put(field, random.nextBoolean() ? "[]" : "[\"x\"]");
                what = field + " in an array";
            }
            default -> {
                draft.put(field, random.nextBoolean() ? "{}" : "{\"value\":\"x\"}");
                what = field + " as an object";
            }
        }
        return new Bad(draft.render(), what);
    }

    private static Bad wrongType(Draft draft, String field, Random random) {
        Value value = switch (random.nextInt(4)) {
            case 0 -> new Bool(random.nextBoolean());
            case 1 -> GeneratedJson.object(random, 1, true);
            case 2 -> GeneratedJson.array(random, 1);
            default ->
                new Num(List.of("1.5", "1.0", "1e3", "-0.0", "0.5E1", "12.50").get(random.nextInt(6)));
        };
        draft.replaceContent(draft.content.with(field, value), random);
        return new Bad(draft.render(), field + " of a wrong type");
    }

    /** A timestamp the parser must refuse, and how it is wrong. */
    private record BadTime(Value value, String what) {}

    private static BadTime badTime(Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> new BadTime(new Str(NOT_ISO.get(random.nextInt(NOT_ISO.size()))), "not ISO-8601 with an offset");
            case 1 -> {
                GeneratedTimes.Iso iso = GeneratedTimes.iso(GeneratedTimes.outOfRange(random), random);
                if (!iso.instant().isBefore(GeneratedTimes.EARLIEST)
                        && !iso.instant().isAfter(GeneratedTimes.LATEST)) {
                    throw new IllegalStateException("meant to be out of range: " + iso);
                }
                yield new BadTime(new Str(iso.text()), "outside years 0000-9999");
            }
            case 2 -> {
                BigInteger millis = switch (random.nextInt(3)) {
                    case 0 ->
                        BigInteger.valueOf(
                                GeneratedTimes.LATEST.toEpochMilli() + 1 + random.nextLong(Long.MAX_VALUE / 2));
                    case 1 ->
                        BigInteger.valueOf(
                                GeneratedTimes.EARLIEST.toEpochMilli() - 1 - random.nextLong(Long.MAX_VALUE / 2));
                    default ->
                        BigInteger.TWO
                                .pow(63)
                                .add(BigInteger.valueOf(random.nextInt(1_000)))
                                .negate()
                                .pow(1 + random.nextInt(2));
                };
                yield new BadTime(new Num(millis.toString()), "epoch millis outside years 0000-9999");
            }
            default -> {
                Value value = switch (random.nextInt(4)) {
                    case 0 -> new Bool(random.nextBoolean());
                    case 1 -> GeneratedJson.object(random, 1, true);
                    case 2 -> GeneratedJson.array(random, 1);
                    default ->
                        new Num(List.of("1.7642376e12", "1764237600123.0", "1764237600123.5")
                                .get(random.nextInt(3)));
                };
                yield new BadTime(value, "of a wrong type");
            }
        };
    }

    private static void withoutDetailTimestamp(Draft draft, Random random) {
        Obj content = switch (random.nextInt(3)) {
            case 0 -> draft.content.without("timestamp");
            case 1 -> draft.content.with("timestamp", NULL);
            default -> draft.content.with("timestamp", new Str(blank(random, 3)));
        };
        draft.replaceContent(content, random);
    }

    /** A value for an envelope field of the shape generator, raw JSON or null for absent, and its kind. */
    private record Shaped(@Nullable String raw, String kind) {}

    private static Shaped shaped(String field, Random random) {
        switch (random.nextInt(4)) {
            case 0 -> {
                return new Shaped(null, "absent");
            }
            case 1 -> {
                String raw = switch (field) {
                    case "time" -> string(anyIso(random), random);
                    case "detail" -> shapedDetail(random);
                    default -> string(nonBlank(random), random);
                };
                return new Shaped(raw, field.equals("detail") ? "object" : "text");
            }
            default -> {
                String raw = random.nextInt(5) == 0
                        ? ODD_VALUES.get(random.nextInt(ODD_VALUES.size()))
                        : GeneratedJson.write(GeneratedJson.value(random, 2), Style.random(random), random);
                return new Shaped(raw, kindOf(raw));
            }
        }
    }

    private static String shapedDetail(Random random) {
        LinkedHashMap<String, Value> members =
                new LinkedHashMap<>(GeneratedJson.object(random, 2, false).members());
        for (String field : List.of("id", "sagaId", "timestamp", "domain", "persister-replay")) {
            switch (random.nextInt(3)) {
                case 0 -> {}
                case 1 -> members.put(field, field.equals("timestamp") ? anyTimestamp(random) : anyId(random));
                default -> members.put(field, GeneratedJson.value(random, 2));
            }
        }
        return GeneratedJson.write(new Obj(members), Style.random(random), random);
    }

    private static Value anyTimestamp(Random random) {
        return random.nextBoolean()
                ? new Str(anyIso(random))
                : new Num(Long.toString(GeneratedTimes.instant(random).toEpochMilli()));
    }

    private static Value anyId(Random random) {
        return random.nextBoolean() ? GeneratedJson.integer(random) : new Str(nonBlank(random));
    }

    private static String anyIso(Random random) {
        return GeneratedTimes.iso(GeneratedTimes.instant(random), random).text();
    }

    private static String kindOf(String raw) {
        return switch (raw.strip().charAt(0)) {
            case '"' -> "text";
            case '{' -> "object";
            case '[' -> "array";
            case 't', 'f' -> "boolean";
            case 'n' -> "null";
            default -> "number";
        };
    }

    private static String randomCharacters(Random random, int length) {
        String pool = "{}[]:,\"\\ \t\n0123456789.eE+-truefalsn";
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++) {
            switch (random.nextInt(10)) {
                case 0 -> text.append((char) (0xD800 + random.nextInt(0x800)));
                case 1 -> text.append((char) random.nextInt(0x20));
                case 2, 3 -> text.append(GeneratedJson.text(random, 1));
                default -> text.append(pool.charAt(random.nextInt(pool.length())));
            }
        }
        return text.toString();
    }

    private static String mangle(String body, Random random) {
        if (body.isEmpty()) {
            return TOKENS.get(random.nextInt(TOKENS.size()));
        }
        int at = random.nextInt(body.length());
        return switch (random.nextInt(4)) {
            case 0 -> body.substring(0, at) + body.substring(at + 1);
            case 1 -> body.substring(0, at) + TOKENS.get(random.nextInt(TOKENS.size())) + body.substring(at);
            case 2 -> body.substring(0, at) + randomCharacters(random, 1) + body.substring(at + 1);
            default -> body.substring(0, at);
        };
    }

    /** A JSON string for {@code text}, sometimes with needless escapes. */
    private static String string(String text, Random random) {
        Style style = random.nextInt(5) == 0 ? new Style(false, false, false, true) : Style.PLAIN;
        return GeneratedJson.write(new Str(text), style, random);
    }

    private static String quoted(String name) {
        return "\"" + name + "\"";
    }

    private static int utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }
}
