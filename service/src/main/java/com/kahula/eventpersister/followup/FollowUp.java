package com.kahula.eventpersister.followup;

import com.kahula.eventpersister.event.Utf8;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A follow-up event ready for the bus: its deterministic id, detail-type and source, its detail as JSON, and what
 * caused it (the stored event's unique id and the rule; no rule when none configured now emits its type, as for a
 * follow-up left PENDING before a configuration change), and the X-Ray trace header of the span that sends it, when it
 * is traced (not part of the entry's size: PutEvents does not count it).
 */
public record FollowUp(
        String id,
        String type,
        String source,
        String detail,
        String causationId,
        @Nullable String ruleName,
        @Nullable String traceHeader) {

    public FollowUp {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(causationId, "causationId");
    }

    /** This follow-up, sent in the span whose X-Ray header is {@code header}. */
    public FollowUp withTraceHeader(@Nullable String header) {
        return new FollowUp(id, type, source, detail, causationId, ruleName, header);
    }

    /** The entry's size as PutEvents counts it: UTF-8 bytes of source, detail-type and detail, 14 for the time. */
    public long entrySize() {
        return entrySize(source, type, detail);
    }

    /** The size PutEvents counts for any entry with a time: UTF-8 bytes of its texts, 14 for the time. */
    public static long entrySize(String source, String detailType, String detail) {
        return Utf8.length(source) + Utf8.length(detailType) + Utf8.length(detail) + FollowUpFactory.TIME_FIELD_SIZE;
    }
}
