package com.kahula.eventpersister.event;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.erdtman.jcs.JsonCanonicalizer;

/**
 * Hashes an event's {@code detail} as SHA-256 over its RFC 8785 canonical JSON, leaving out the fields that change
 * between deliveries of the same content (producer id, saga id, timestamp, and a replay's mark).
 *
 * <p>Canonical form sorts keys and fixes whitespace and string escaping, so key order, formatting and {@code \u00e9}
 * versus a literal {@code é} do not change the hash; array order does. RFC 8785 writes every number as the IEEE-754
 * double it denotes, in ECMAScript notation: {@code 1}, {@code 1.0} and {@code 1e0} hash the same, and so do integers
 * that differ only beyond double precision. That is intended: the hash compares content, while the stored payload keeps
 * the exact digits. A number outside the double range has no canonical form and is refused; so is a subnormal number
 * (nonzero, below {@link Double#MIN_NORMAL} in magnitude) that the library's fast conversion cannot write, because its
 * fallback conversion hangs or throws on some of those (java-json-canonicalization 1.1, e.g. {@code 1e-315}).
 */
final class PayloadHasher {

    private static final HexFormat HEX = HexFormat.of();

    // The library's own test of whether its fast conversion (V8's) writes a number; package-private in the library.
    private static final MethodHandle FAST_CONVERSION = fastConversion();

    private final List<JsonPointer> excluded;

    PayloadHasher(List<JsonPointer> excluded) {
        this.excluded = List.copyOf(excluded);
    }

    /**
     * Returns the lower-case hex hash of {@code detail} without the excluded fields; {@code detail} is not modified.
     *
     * @throws NoCanonicalForm when the detail has no RFC 8785 form the library can write (a number beyond the double
     *     range, or one of the subnormal numbers above)
     */
    String hash(ObjectNode detail) throws NoCanonicalForm {
        return HEX.formatHex(sha256().digest(canonicalUtf8(detail)));
    }

    /**
     * The hashers of the service: the mapping's producer id, saga id and timestamp left out, and the replay's mark,
     * which only the toolkit's replay writes (ReplayMarker), so that no event without it hashes differently for it.
     */
    static PayloadHasher of(EventMapping mapping) {
        return new PayloadHasher(Stream.concat(mapping.excludedFromHash().stream(), Stream.of(ReplayMarker.POINTER))
                .toList());
    }

    /**
     * The RFC 8785 canonical JSON of {@code detail} without the excluded fields, as text: what {@link #hash} digests.
     *
     * @throws NoCanonicalForm as {@link #hash} does
     */
    String canonical(ObjectNode detail) throws NoCanonicalForm {
        return new String(canonicalUtf8(detail), StandardCharsets.UTF_8);
    }

    private byte[] canonicalUtf8(ObjectNode detail) throws NoCanonicalForm {
        JsonNode hashed = detail;
        for (JsonPointer pointer : excluded) {
            hashed = without(hashed, pointer);
        }
        requireWritableNumbers(hashed);
        try {
            return new JsonCanonicalizer(Json.writeForCanonicalization(hashed)).getEncodedUTF8();
        } catch (IOException e) {
            throw new NoCanonicalForm("a number beyond the IEEE-754 double range");
        }
    }

    /** Why a detail has no canonical form: one line, naming no value. */
    static final class NoCanonicalForm extends Exception {

        NoCanonicalForm(String what) {
            super(what, null, false, false);
        }
    }

    private static void requireWritableNumbers(JsonNode node) throws NoCanonicalForm {
        if (node.isContainerNode()) {
            for (JsonNode child : node) {
                requireWritableNumbers(child);
            }
        } else if (node.isFloatingPointNumber()) {
            double value = node.doubleValue();
            if (value != 0 && Math.abs(value) < Double.MIN_NORMAL && !fastlyWritable(value)) {
                throw new NoCanonicalForm("a subnormal number that the canonicalization library cannot write");
            }
        }
    }

    private static boolean fastlyWritable(double value) {
        try {
            return (String) FAST_CONVERSION.invokeExact(value) != null;
        } catch (Throwable e) {
            throw new IllegalStateException("the RFC 8785 library's fast conversion failed", e);
        }
    }

    private static MethodHandle fastConversion() {
        try {
            Method method =
                    Class.forName("org.erdtman.jcs.NumberFastDtoa").getDeclaredMethod("numberToString", double.class);
            method.setAccessible(true);
            return MethodHandles.lookup().unreflect(method);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException(
                    "java-json-canonicalization without NumberFastDtoa.numberToString(double): check the subnormal"
                            + " guard against the new version",
                    e);
        }
    }

    /**
     * Returns {@code node} without the member at {@code pointer}, copying only the objects on the path to it so the rest
     * of the tree is shared rather than deep-copied. Pointers that cross an array or lead nowhere leave it unchanged.
     */
    private static JsonNode without(JsonNode node, JsonPointer pointer) {
        if (!(node instanceof ObjectNode object)) {
            return node;
        }
        String name = pointer.getMatchingProperty();
        JsonNode child = object.get(name);
        if (child == null) {
            return node;
        }
        JsonPointer rest = pointer.tail();
        JsonNode trimmed = rest.matches() ? null : without(child, rest);
        if (trimmed == child) {
            return node;
        }
        ObjectNode copy = object.objectNode();
        copy.setAll(object);
        if (trimmed == null) {
            copy.remove(name);
        } else {
            copy.set(name, trimmed);
        }
        return copy;
    }

    private static MessageDigest sha256() {
        try {
            // Cheaper than pooling and safe on virtual threads, where a thread-local would never be reused.
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK provides SHA-256", e);
        }
    }
}
