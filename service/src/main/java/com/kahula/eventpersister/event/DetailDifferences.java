package com.kahula.eventpersister.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flipkart.zjsonpatch.DiffFlags;
import com.flipkart.zjsonpatch.JsonDiff;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;

/**
 * Where an event's {@code detail} differs from a stored payload, as the hash sees them: both without the fields the hash
 * leaves out (producer id, saga id, timestamp, replay mark) and in RFC 8785 canonical form, so that key order,
 * formatting and number notation ({@code 1} against {@code 1.0}) are no difference. The paths come from a JSON Patch
 * (RFC 6902) from the stored payload to the event's detail; they name fields, never values.
 */
public final class DetailDifferences {

    // Only add, remove and replace: a move or copy would name a source path instead of what changed.
    private static final EnumSet<DiffFlags> FLAGS =
            EnumSet.of(DiffFlags.OMIT_MOVE_OPERATION, DiffFlags.OMIT_COPY_OPERATION, DiffFlags.OMIT_VALUE_ON_REMOVE);

    private final PayloadHasher hasher;

    public DetailDifferences(EventMapping mapping) {
        this.hasher = PayloadHasher.of(mapping);
    }

    /** What a difference does to the stored payload: a field the event adds, one it lacks, or one it changes. */
    public enum Kind {
        ADDED("added"),
        REMOVED("removed"),
        CHANGED("changed");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** One difference: its kind and the JSON Pointer (RFC 6901) of the field, within {@code detail}. */
    public record Difference(Kind kind, String path) {
        public Difference {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(path, "path");
        }

        @Override
        public String toString() {
            return kind.label() + " " + (path.isEmpty() ? "/" : path);
        }
    }

    /**
     * The differences from {@code storedPayload} (a stored row's {@code payload}) to the {@code detail} of the envelope
     * {@code body}; empty when the hash would see none.
     *
     * @throws IllegalArgumentException when either is not JSON, the body has no object {@code detail}, or one has no
     *     canonical form (a number the hash refuses); the message names no value
     */
    public List<Difference> between(String storedPayload, String body) {
        JsonNode stored = canonical(read(storedPayload, "the stored payload"), "the stored payload");
        JsonNode envelope = read(body, "the message body");
        if (!(envelope.get("detail") instanceof ObjectNode detail)) {
            throw new IllegalArgumentException("the message body has no object 'detail'");
        }
        JsonNode parked = canonical(detail, "the message's detail");
        List<Difference> differences = new ArrayList<>();
        for (JsonNode operation : JsonDiff.asJson(stored, parked, FLAGS)) {
            String path = operation.path("path").asText();
            differences.add(
                    switch (operation.path("op").asText()) {
                        case "add" -> new Difference(Kind.ADDED, path);
                        case "remove" -> new Difference(Kind.REMOVED, path);
                        default -> new Difference(Kind.CHANGED, path);
                    });
        }
        return differences;
    }

    private JsonNode canonical(JsonNode node, String what) {
        if (!(node instanceof ObjectNode object)) {
            throw new IllegalArgumentException(what + " is not a JSON object");
        }
        try {
            return read(hasher.canonical(object), what);
        } catch (PayloadHasher.NoCanonicalForm e) {
            throw new IllegalArgumentException(what + " holds " + e.getMessage());
        }
    }

    private static JsonNode read(String json, String what) {
        try {
            return Json.read(json);
        } catch (JsonProcessingException e) {
            // Jackson's message quotes the input, which is payload content: name only what failed.
            throw new IllegalArgumentException(what + " is not JSON");
        }
    }
}
