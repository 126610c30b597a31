package com.kahula.eventpersister.event;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/** The outcome of parsing one message body: an event to store, or the reason to park the message. */
public sealed interface ParseResult permits ParseResult.Parsed, ParseResult.ParserRejected {

    /**
     * A body that maps to a storable event; {@code envelope} is the parsed body, kept so that follow-up rules match
     * without parsing it again. Treat it as read-only.
     */
    record Parsed(StoredEvent event, JsonNode envelope) implements ParseResult {
        public Parsed {
            Objects.requireNonNull(event, "event");
            Objects.requireNonNull(envelope, "envelope");
        }
    }

    /**
     * A body to park; {@code detail} is one readable line naming fields, never quoting payload content, so it is safe
     * to log and to attach to the parked message.
     */
    record ParserRejected(ParserRejection reason, String detail) implements ParseResult {
        public ParserRejected {
            Objects.requireNonNull(reason, "reason");
            if (detail == null || detail.isBlank() || detail.indexOf('\n') >= 0 || detail.indexOf('\r') >= 0) {
                throw new IllegalArgumentException("detail must be one non-blank line");
            }
        }
    }
}
