package com.kahula.eventpersister.followup;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.NameBasedGenerator;
import com.kahula.eventpersister.event.StoredEvent;
import com.kahula.eventpersister.event.Timestamps;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Builds the follow-up event of a stored event. Its id is a name-based UUID (v5) of the stored event's unique id and
 * the follow-up's type, so however often it is emitted, the store keeps it once when it comes back through the bus.
 */
public final class FollowUpFactory {

    /** PutEvents refuses entries over 256 KB. */
    public static final int MAX_ENTRY_SIZE = 256 * 1024;

    static final int TIME_FIELD_SIZE = 14;

    /** The namespace of follow-up ids; changing it would change every id and break deduplication. */
    private static final UUID NAMESPACE = UUID.fromString("6f0b4b8e-3c1d-5e2a-9f47-0d8c2a6b1e53");

    private static final NameBasedGenerator IDS = Generators.nameBasedGenerator(NAMESPACE);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String source;
    private final int maxEntrySize;

    /**
     * @param maxEntrySize the entry size above which the payload is left out ({@code "payloadOmitted": true}), at most
     *     {@link #MAX_ENTRY_SIZE}
     */
    public FollowUpFactory(String source, int maxEntrySize) {
        if (maxEntrySize < 1 || maxEntrySize > MAX_ENTRY_SIZE) {
            throw new IllegalArgumentException("maxEntrySize must be 1 to " + MAX_ENTRY_SIZE + ", was " + maxEntrySize);
        }
        this.source = source;
        this.maxEntrySize = maxEntrySize;
    }

    /** The deterministic id of the follow-up of type {@code type} caused by the event stored as {@code uniqueId}. */
    public static String followUpId(String uniqueId, String type) {
        return IDS.generate(uniqueId + "\n" + type).toString();
    }

    public FollowUp create(StoredEvent cause, String type, @Nullable String ruleName, Instant emittedAt) {
        ObjectNode detail = JSON.createObjectNode();
        detail.put("id", followUpId(cause.uniqueId(), type));
        detail.put("domain", cause.domain());
        detail.put("sagaId", cause.sagaId());
        detail.put("timestamp", Timestamps.format(emittedAt));
        detail.put("causationId", cause.uniqueId());
        detail.put("causationEvent", cause.eventName());
        // The stored payload is already JSON text at full precision: embedded as is, not parsed again.
        detail.putRawValue("payload", new RawValue(cause.payload()));
        FollowUp followUp = followUp(cause, type, ruleName, detail);
        if (followUp.entrySize() <= maxEntrySize) {
            return followUp;
        }
        detail.remove("payload");
        detail.put("payloadOmitted", true);
        return followUp(cause, type, ruleName, detail);
    }

    private FollowUp followUp(StoredEvent cause, String type, @Nullable String ruleName, ObjectNode detail) {
        return new FollowUp(detail.get("id").asText(), type, source, write(detail), cause.uniqueId(), ruleName, null);
    }

    private static String write(ObjectNode detail) {
        try {
            return JSON.writeValueAsString(detail);
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
