package com.kahula.eventpersister.event;

import static com.kahula.eventpersister.event.GeneratedEnvelopes.around;
import static com.kahula.eventpersister.event.GeneratedEnvelopes.generate;
import static com.kahula.eventpersister.event.GeneratedEnvelopes.label;
import static com.kahula.eventpersister.event.GeneratedEnvelopes.random;
import static com.kahula.eventpersister.event.GeneratedJson.NULL;

import com.kahula.eventpersister.event.GeneratedJson.Arr;
import com.kahula.eventpersister.event.GeneratedJson.Bool;
import com.kahula.eventpersister.event.GeneratedJson.Null;
import com.kahula.eventpersister.event.GeneratedJson.Num;
import com.kahula.eventpersister.event.GeneratedJson.Obj;
import com.kahula.eventpersister.event.GeneratedJson.Str;
import com.kahula.eventpersister.event.GeneratedJson.Style;
import com.kahula.eventpersister.event.GeneratedJson.Value;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/** Pairs of valid envelopes for the hash properties: one detail's content spelled two ways, or changed in one place. */
final class GeneratedDetails {

    /** Names the hash leaves out at the top of a detail, and nowhere else. */
    private static final List<String> EXCLUDED_NAMES = List.of("id", "sagaId", "timestamp", "persister-replay");

    /** Top-level fields a content change leaves alone: the excluded ones and the domain, which has a change of its own. */
    private static final Set<String> UNTOUCHED = Set.of("id", "sagaId", "timestamp", "persister-replay", "domain");

    /** The ways to spell one content, in the order of the switches of {@link Style}. */
    private static final List<String> RESPELLINGS =
            List.of("key order", "whitespace", "number spelling", "string escapes");

    private static final Pattern JSON_NUMBER = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][-+]?[0-9]+)?");

    private GeneratedDetails() {}

    /** Two bodies that differ only in their detail; the label says how. */
    record Pair(String label, String first, String second) {
        @Override
        public String toString() {
            return label;
        }
    }

    /** A change of content that RFC 8785 does not treat as equal. */
    enum Change {
        STRING_VALUE,
        NUMBER_VALUE,
        KEY_ADDED,
        KEY_REMOVED,
        KEY_RENAMED,
        ARRAY_ELEMENTS_SWAPPED,
        TYPE,
        NESTED_FIELD_NAMED_LIKE_AN_EXCLUDED_ONE,
        DOMAIN
    }

    /**
     * The same detail written plainly and respelled in a random, non-empty combination of key order, whitespace,
     * number spellings and string escapes, which the label names; the two texts always differ.
     */
    static List<Pair> respelled(long seed, int count) {
        return generate(count, index -> {
            Random random = random(seed, index);
            int ways = 1 + random.nextInt(15);
            Style style = new Style((ways & 1) != 0, (ways & 2) != 0, (ways & 4) != 0, (ways & 8) != 0);
            Obj detail = base(random);
            if (style.respelledNumbers()) {
                detail = detail.with(GeneratedJson.topLevelKey(random), GeneratedJson.number(random));
            }
            String first = GeneratedJson.write(detail, Style.PLAIN, random);
            String second = first;
            for (int attempt = 0; second.equals(first); attempt++) {
                if (attempt == 100) {
                    throw new IllegalStateException(style + " never changed " + first);
                }
                second = GeneratedJson.write(detail, style, random);
            }
            List<String> what = new ArrayList<>();
            for (int way = 0; way < RESPELLINGS.size(); way++) {
                if ((ways & (1 << way)) != 0) {
                    what.add(RESPELLINGS.get(way));
                }
            }
            return new Pair(label(seed, index, String.join(" + ", what)), around(first), around(second));
        });
    }

    /** A detail and the same with its top-level excluded fields changed, removed or added. */
    static List<Pair> excludedChanged(long seed, int count) {
        return generate(count, index -> {
            Random random = random(seed, index);
            Obj detail = base(random);
            Obj changed = detail;
            List<String> what = new ArrayList<>();
            while (what.isEmpty()) {
                for (String name : EXCLUDED_NAMES) {
                    if (random.nextBoolean()) {
                        continue;
                    }
                    Value old = changed.get(name);
                    if (old != null && random.nextBoolean()) {
                        changed = changed.without(name);
                        what.add(name + " removed");
                    } else {
                        Value value = excludedValue(name, random);
                        while (old != null && CanonicalJson.sameContent(old, value)) {
                            value = excludedValue(name, random);
                        }
                        changed = changed.with(name, value);
                        what.add(name + (old == null ? " added" : " changed"));
                    }
                }
            }
            return new Pair(
                    label(seed, index, String.join(", ", what)),
                    around(GeneratedJson.write(detail, Style.PLAIN, random)),
                    around(GeneratedJson.write(changed, Style.PLAIN, random)));
        });
    }

    /** A detail and the same with one change of content at one place, any of the kinds of {@link Change}. */
    static List<Pair> contentChanged(long seed, int count) {
        return generate(count, index -> {
            Random random = random(seed, index);
            Change change = Change.values()[random.nextInt(Change.values().length)];
            Obj detail = base(random);
            Changed changed = changed(change, detail, random);
            if (CanonicalJson.sameContent(
                    GeneratedJson.hashed(changed.before()), GeneratedJson.hashed(changed.after()))) {
                throw new IllegalStateException(change + " left the content as it was: " + changed);
            }
            String what = change.name().toLowerCase().replace('_', ' ') + " changed at " + changed.where();
            return new Pair(
                    label(seed, index, what),
                    around(GeneratedJson.write(changed.before(), Style.PLAIN, random)),
                    around(GeneratedJson.write(changed.after(), Style.PLAIN, random)));
        });
    }

    /** A valid detail with at least two members of business content. */
    private static Obj base(Random random) {
        Obj detail = GeneratedEnvelopes.detail(random).content();
        while (paths(detail, value -> true).stream()
                        .filter(path -> path.size() == 1)
                        .count()
                < 2) {
            detail = detail.with(GeneratedJson.topLevelKey(random), GeneratedJson.value(random, 2));
        }
        return detail;
    }

    private static Value excludedValue(String name, Random random) {
        return switch (name) {
            case "timestamp" -> {
                Instant instant = GeneratedTimes.instant(random);
                yield switch (random.nextInt(4)) {
                    case 0 -> new Num(Long.toString(instant.toEpochMilli()));
                    case 1 -> random.nextBoolean() ? NULL : new Str(GeneratedEnvelopes.blank(random, 2));
                    default -> new Str(GeneratedTimes.iso(instant, random).text());
                };
            }
            case "persister-replay" -> GeneratedJson.value(random, 2);
            default -> {
                GeneratedEnvelopes.Carried carried = GeneratedEnvelopes.carried(random);
                while (carried.sent() == null) {
                    carried = GeneratedEnvelopes.carried(random);
                }
                yield carried.sent();
            }
        };
    }

    /** A detail before and after one change, and where the change is, as a JSON Pointer. */
    private record Changed(Obj before, Obj after, String where) {}

    private static Changed changed(Change change, Obj detail, Random random) {
        return switch (change) {
            case STRING_VALUE -> {
                Obj before = having(
                        detail, value -> value instanceof Str, random, () -> new Str(GeneratedJson.text(random, 8)));
                List<Object> path = pick(paths(before, value -> value instanceof Str), random);
                String old = ((Str) at(before, path)).text();
                String text = old;
                while (text.equals(old)) {
                    text = otherText(old, random);
                }
                yield new Changed(before, (Obj) replaced(before, path, new Str(text)), pointer(path));
            }
            case NUMBER_VALUE -> {
                Obj before = having(detail, value -> value instanceof Num, random, () -> GeneratedJson.number(random));
                List<Object> path = pick(paths(before, value -> value instanceof Num), random);
                double old = ((Num) at(before, path)).value().doubleValue();
                Num number = GeneratedJson.number(random);
                while (number.value().doubleValue() == old) {
                    number = GeneratedJson.number(random);
                }
                yield new Changed(before, (Obj) replaced(before, path, number), pointer(path));
            }
            case KEY_ADDED -> {
                List<List<Object>> objects = paths(detail, value -> value instanceof Obj);
                objects.add(List.of());
                List<Object> path = pick(objects, random);
                Obj object = (Obj) at(detail, path);
                String key = freshKey(object, path.isEmpty(), random);
                Obj after = (Obj) replaced(detail, path, object.with(key, GeneratedJson.value(random, 2)));
                yield new Changed(detail, after, pointer(path) + "/" + key);
            }
            case KEY_REMOVED -> {
                List<Object> path = pick(memberPaths(detail), random);
                yield new Changed(detail, (Obj) replaced(detail, path, null), pointer(path));
            }
            case KEY_RENAMED -> {
                List<Object> path = pick(memberPaths(detail), random);
                List<Object> parentPath = path.subList(0, path.size() - 1);
                Obj parent = (Obj) at(detail, parentPath);
                String oldKey = (String) path.getLast();
                String newKey = freshKey(parent, parentPath.isEmpty(), random);
                LinkedHashMap<String, Value> renamed = new LinkedHashMap<>();
                parent.members().forEach((key, value) -> renamed.put(key.equals(oldKey) ? newKey : key, value));
                Obj after = (Obj) replaced(detail, parentPath, new Obj(renamed));
                yield new Changed(detail, after, pointer(path));
            }
            case ARRAY_ELEMENTS_SWAPPED -> {
                Obj before =
                        having(detail, GeneratedDetails::hasDistinctElements, random, () -> distinctElements(random));
                List<Object> path = pick(paths(before, GeneratedDetails::hasDistinctElements), random);
                List<Value> items = new ArrayList<>(((Arr) at(before, path)).items());
                int i;
                int j;
                do {
                    i = random.nextInt(items.size());
                    j = random.nextInt(items.size());
                } while (CanonicalJson.sameContent(items.get(i), items.get(j)));
                Value first = items.get(i);
                items.set(i, items.get(j));
                items.set(j, first);
                yield new Changed(before, (Obj) replaced(before, path, new Arr(items)), pointer(path));
            }
            case TYPE -> {
                List<Object> path = pick(paths(detail, value -> true), random);
                yield new Changed(
                        detail, (Obj) replaced(detail, path, otherType(at(detail, path), random)), pointer(path));
            }
            case NESTED_FIELD_NAMED_LIKE_AN_EXCLUDED_ONE -> {
                Obj before = detail;
                if (nestedExcludedNames(before).isEmpty()) {
                    String name = EXCLUDED_NAMES.get(random.nextInt(EXCLUDED_NAMES.size()));
                    Obj data = new Obj(Map.of(name, GeneratedJson.value(random, 1)));
                    before = before.with(GeneratedJson.topLevelKey(random), data);
                }
                List<Object> path = pick(nestedExcludedNames(before), random);
                Value old = at(before, path);
                Value value = GeneratedJson.value(random, 1);
                while (CanonicalJson.sameContent(old, value)) {
                    value = GeneratedJson.value(random, 1);
                }
                yield new Changed(before, (Obj) replaced(before, path, value), pointer(path));
            }
            case DOMAIN -> {
                Obj after = detail;
                while (CanonicalJson.sameContent(after, detail)) {
                    after = switch (random.nextInt(5)) {
                        case 0 -> detail.without("domain");
                        case 1 -> detail.with("domain", NULL);
                        case 2 -> detail.with("domain", new Str(GeneratedEnvelopes.blank(random, 2)));
                        case 3 -> detail.with("domain", GeneratedJson.integer(random));
                        default -> detail.with("domain", new Str(GeneratedEnvelopes.nonBlank(random)));
                    };
                }
                yield new Changed(detail, after, "/domain");
            }
        };
    }

    /** {@code detail}, with a member made by {@code extra} added when no value in it passes {@code test}. */
    private static Obj having(Obj detail, Predicate<Value> test, Random random, Supplier<Value> extra) {
        return paths(detail, test).isEmpty() ? detail.with(GeneratedJson.topLevelKey(random), extra.get()) : detail;
    }

    /** The paths of the values below {@code detail} that pass {@code test}, outside its untouched top-level fields. */
    private static List<List<Object>> paths(Obj detail, Predicate<Value> test) {
        List<List<Object>> paths = new ArrayList<>();
        detail.members().forEach((key, value) -> {
            if (!UNTOUCHED.contains(key)) {
                collect(value, new ArrayList<>(List.of(key)), test, paths);
            }
        });
        return paths;
    }

    private static void collect(Value value, List<Object> path, Predicate<Value> test, List<List<Object>> paths) {
        if (test.test(value)) {
            paths.add(List.copyOf(path));
        }
        switch (value) {
            case Obj obj ->
                obj.members().forEach((key, child) -> {
                    path.add(key);
                    collect(child, path, test, paths);
                    path.removeLast();
                });
            case Arr arr -> {
                for (int i = 0; i < arr.items().size(); i++) {
                    path.add(i);
                    collect(arr.items().get(i), path, test, paths);
                    path.removeLast();
                }
            }
            default -> {}
        }
    }

    /** Paths that end at an object's member, so the member can be removed or renamed. */
    private static List<List<Object>> memberPaths(Obj detail) {
        return paths(detail, value -> true).stream()
                .filter(path -> path.getLast() instanceof String)
                .collect(Collectors.toCollection(ArrayList::new));
    }

    private static List<List<Object>> nestedExcludedNames(Obj detail) {
        return memberPaths(detail).stream()
                .filter(path -> path.size() >= 2 && EXCLUDED_NAMES.contains(path.getLast()))
                .collect(Collectors.toCollection(ArrayList::new));
    }

    private static boolean hasDistinctElements(Value value) {
        if (!(value instanceof Arr arr)) {
            return false;
        }
        return arr.items().stream().map(CanonicalJson::of).distinct().count() > 1;
    }

    private static Arr distinctElements(Random random) {
        Value first = GeneratedJson.value(random, 1);
        Value second = GeneratedJson.value(random, 1);
        while (CanonicalJson.sameContent(first, second)) {
            second = GeneratedJson.value(random, 1);
        }
        return new Arr(List.of(first, second, GeneratedJson.value(random, 1)));
    }

    private static String freshKey(Obj object, boolean topLevel, Random random) {
        String key = topLevel ? GeneratedJson.topLevelKey(random) : GeneratedJson.key(random, true);
        while (object.members().containsKey(key)) {
            key = topLevel ? GeneratedJson.topLevelKey(random) : GeneratedJson.key(random, true);
        }
        return key;
    }

    private static String otherText(String old, Random random) {
        if (old.isEmpty() || random.nextBoolean()) {
            return old + GeneratedJson.text(random, 2) + (char) ('a' + random.nextInt(26));
        }
        int[] codePoints = old.codePoints().toArray();
        codePoints[random.nextInt(codePoints.length)] = 'a' + random.nextInt(26);
        return new String(codePoints, 0, codePoints.length);
    }

    /** A value of another JSON type, often one that reads alike ({@code 1} against {@code "1"}). */
    private static Value otherType(Value old, Random random) {
        if (random.nextBoolean()) {
            Value alike = switch (old) {
                case Num num -> new Str(num.spelling());
                case Str str when isFiniteNumber(str.text()) -> new Num(str.text());
                case Str str -> new Arr(List.of(str));
                case Bool bool -> new Str(Boolean.toString(bool.value()));
                case Null ignored -> new Str("null");
                case Obj obj -> new Arr(List.copyOf(obj.members().values()));
                case Arr arr -> new Obj(indexed(arr));
            };
            return alike;
        }
        Value value = GeneratedJson.value(random, 2);
        while (value.getClass() == old.getClass()) {
            value = GeneratedJson.value(random, 2);
        }
        return value;
    }

    private static boolean isFiniteNumber(String text) {
        return JSON_NUMBER.matcher(text).matches() && Double.isFinite(Double.parseDouble(text));
    }

    private static Map<String, Value> indexed(Arr arr) {
        LinkedHashMap<String, Value> members = new LinkedHashMap<>();
        for (int i = 0; i < arr.items().size(); i++) {
            members.put(Integer.toString(i), arr.items().get(i));
        }
        return members;
    }

    private static Value at(Value root, List<Object> path) {
        Value value = root;
        for (Object step : path) {
            value = step instanceof String key
                    ? ((Obj) value).members().get(key)
                    : ((Arr) value).items().get((Integer) step);
        }
        return value;
    }

    /** {@code root} with the value at {@code path} replaced, or removed from its object when {@code replacement} is null. */
    private static Value replaced(Value root, List<Object> path, @Nullable Value replacement) {
        if (path.isEmpty()) {
            return replacement == null ? root : replacement;
        }
        Object step = path.getFirst();
        List<Object> rest = path.subList(1, path.size());
        if (root instanceof Obj obj) {
            String key = (String) step;
            if (rest.isEmpty() && replacement == null) {
                return obj.without(key);
            }
            return obj.with(key, replaced(obj.members().get(key), rest, replacement));
        }
        List<Value> items = new ArrayList<>(((Arr) root).items());
        int index = (Integer) step;
        items.set(index, replaced(items.get(index), rest, replacement));
        return new Arr(items);
    }

    private static String pointer(List<Object> path) {
        StringBuilder pointer = new StringBuilder();
        for (Object step : path) {
            String name = step.toString().replace("~", "~0").replace("/", "~1");
            name = name.codePoints()
                    .map(c -> c < 0x20
                                    || Character.isWhitespace(c) && c != ' '
                                    || Character.getType(c) == Character.FORMAT
                            ? '?'
                            : c)
                    .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                    .toString();
            pointer.append('/').append(name.length() > 12 ? name.substring(0, 12) + "..." : name);
        }
        return pointer.isEmpty() ? "the top" : pointer.toString();
    }

    private static <T> T pick(List<T> items, Random random) {
        return items.get(random.nextInt(items.size()));
    }
}
