package com.kahula.eventpersister.event;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * The mark a replayed event carries in its {@code detail}: the replay's name under the reserved top-level key
 * {@value #KEY}, which the payload hash leaves out, so that a replayed event hashes as its original and is stored as
 * the duplicate it is, not parked as a conflict.
 */
public final class ReplayMarker {

    /** The key of the mark at the top of {@code detail}; reserved for the toolkit's replay. */
    public static final String KEY = "persister-replay";

    static final JsonPointer POINTER = JsonPointer.compile("/" + KEY);

    private ReplayMarker() {}

    /**
     * Returns the stored {@code detail} JSON with {@code replayName} under {@link #KEY} (replacing an earlier mark),
     * its other fields, their order and their numbers' exact digits as stored.
     *
     * @throws IllegalArgumentException when {@code payload} is not a JSON object
     */
    public static String mark(String payload, String replayName) {
        Objects.requireNonNull(replayName, "replayName");
        if (replayName.isBlank()) {
            throw new IllegalArgumentException("a replay needs a name");
        }
        try {
            if (!(Json.read(payload) instanceof ObjectNode detail)) {
                throw new IllegalArgumentException("a stored payload is a JSON object");
            }
            detail.put(KEY, replayName);
            return Json.write(detail);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("a stored payload is JSON", e);
        }
    }
}
