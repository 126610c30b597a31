package com.kahula.eventpersister.toolkit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.kahula.eventpersister.event.StoredEvent;
import com.kahula.eventpersister.event.Timestamps;
import com.kahula.eventpersister.store.FollowUpOutbox.Waiting;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** A follow-up waiting in the outbox, as the followups command prints it: a fixed-width line or a line of JSON. */
record FollowUpRow(
        String uniqueId,
        String eventName,
        String type,
        String followUpId,
        String status,
        String receivedAt,
        Duration age,
        @Nullable String error) {

    private static final JsonFactory JSON = new JsonFactory();
    private static final String LINE = "%-36s  %-28s  %-20s  %-36s  %-8s  %-24s  %-7s  %s%n";

    static final String HEADER = LINE.formatted(
            "UNIQUE ID", "EVENT", "FOLLOW-UP TYPE", "FOLLOW-UP ID", "STATUS", "RECEIVED AT", "AGE", "ERROR");

    /** The row of {@code waiting}, its age counted to {@code now}. */
    static FollowUpRow of(Waiting waiting, Instant now) {
        StoredEvent event = waiting.event();
        Instant received = Timestamps.parse(event.receivedAt());
        return new FollowUpRow(
                event.uniqueId(),
                event.eventName(),
                waiting.mark().type(),
                waiting.mark().id(),
                waiting.mark().status().name(),
                event.receivedAt(),
                received.isBefore(now) ? Duration.between(received, now) : Duration.ZERO,
                waiting.error().isEmpty() ? null : waiting.error());
    }

    /** The readable line; the bus's words on one line. */
    String table() {
        return LINE.formatted(
                uniqueId,
                eventName,
                type,
                followUpId,
                status,
                receivedAt,
                TimeFormats.age(age),
                error == null ? "-" : error.replaceAll("\\p{Cntrl}", " "));
    }

    /** One line of JSON: the columns, the age in whole seconds, the bus's words or null. */
    String ndjson() {
        StringWriter line = new StringWriter(256);
        try (JsonGenerator json = JSON.createGenerator(line)) {
            json.writeStartObject();
            json.writeStringField("unique_id", uniqueId);
            json.writeStringField("event_name", eventName);
            json.writeStringField("follow_up_type", type);
            json.writeStringField("follow_up_id", followUpId);
            json.writeStringField("status", status);
            json.writeStringField("received_at", receivedAt);
            json.writeNumberField("age_seconds", age.toSeconds());
            json.writeStringField("error", error);
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return line + System.lineSeparator();
    }
}
