package com.kahula.eventpersister.event;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.erdtman.jcs.JsonCanonicalizer;

/**
 * Hashes an event's {@code detail} as SHA-256 over its RFC 8785 canonical JSON, leaving out the fields that change
 * between deliveries of the same content (producer id, saga id, timestamp, and a replay's mark).
 *
 * <p>Canonical form sorts keys and fixes whitespace and string escaping, so key order, formatting and {@code \u00e9}
 * versus a literal {@code é} do not change the hash; array order does. RFC 8785 writes every number as the IEEE-754
 * double it denotes, in ECMAScript notation: {@code 1}, {@code 1.0} and {@code 1e0} hash the same, and so do integers
 * that differ only beyond double precision. That is intended: the hash compares content, while the stored payload keeps
 * the exact digits. A number outside the double range has no canonical form and is refused.
 */
final class PayloadHasher {

    private static final HexFormat HEX = HexFormat.of();

    private final List<JsonPointer> excluded;

    PayloadHasher(List<JsonPointer> excluded) {
        this.excluded = List.copyOf(excluded);
    }

    /**
     * Returns the lower-case hex hash of {@code detail} without the excluded fields; {@code detail} is not modified.
     *
     * @throws IOException when the detail has no RFC 8785 form (a number beyond the double range)
     */
    String hash(ObjectNode detail) throws IOException {
        JsonNode hashed = detail;
        for (JsonPointer pointer : excluded) {
            hashed = without(hashed, pointer);
        }
        byte[] canonical = new JsonCanonicalizer(Json.writeForCanonicalization(hashed)).getEncodedUTF8();
        return HEX.formatHex(sha256().digest(canonical));
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
