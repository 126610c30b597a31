package com.kahula.eventpersister.toolkit;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** An event as the table holds it, the columns the toolkit shows and replays. */
record StoredRow(
        String uniqueId,
        String timestamp,
        String eventName,
        String detailType,
        String source,
        @Nullable String sagaId,
        @Nullable String mbocdpId,
        String awsId,
        String payloadHash,
        @Nullable String followUpStatus,
        String payload) {

    StoredRow {
        Objects.requireNonNull(uniqueId, "uniqueId");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(eventName, "eventName");
        Objects.requireNonNull(detailType, "detailType");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(awsId, "awsId");
        Objects.requireNonNull(payloadHash, "payloadHash");
        Objects.requireNonNull(payload, "payload");
    }
}
