package com.kahula.eventpersister.event;

import com.fasterxml.jackson.core.JsonPointer;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Where the producer's event id, saga id, timestamp and domain live inside an event's {@code detail}, as JSON Pointers.
 *
 * @param idPointer JSON Pointer, in an event's detail, of the producer's event id; left out of the payload hash.
 * @param sagaIdPointer JSON Pointer, in an event's detail, of the saga id; left out of the payload hash.
 * @param timestampPointer JSON Pointer, in an event's detail, of the event's time; left out of the payload hash.
 * @param domainPointer JSON Pointer, in an event's detail, of the event's domain.
 */
public record EventMapping(String idPointer, String sagaIdPointer, String timestampPointer, String domainPointer) {

    private static final Pattern BAD_ESCAPE = Pattern.compile("~(?![01])");

    public EventMapping {
        requirePointer("idPointer", idPointer);
        requirePointer("sagaIdPointer", sagaIdPointer);
        requirePointer("timestampPointer", timestampPointer);
        requirePointer("domainPointer", domainPointer);
    }

    /** The kahula producer convention: {@code /id}, {@code /sagaId}, {@code /timestamp}, {@code /domain}. */
    public static EventMapping defaults() {
        return new EventMapping("/id", "/sagaId", "/timestamp", "/domain");
    }

    JsonPointer id() {
        return JsonPointer.compile(idPointer);
    }

    JsonPointer sagaId() {
        return JsonPointer.compile(sagaIdPointer);
    }

    JsonPointer timestamp() {
        return JsonPointer.compile(timestampPointer);
    }

    JsonPointer domain() {
        return JsonPointer.compile(domainPointer);
    }

    /** The fields that differ between deliveries of the same content, so the payload hash leaves them out. */
    List<JsonPointer> excludedFromHash() {
        return List.of(id(), sagaId(), timestamp());
    }

    private static void requirePointer(String field, String pointer) {
        // The root pointer "" would select the whole detail, which no single field can be.
        if (pointer == null || !pointer.startsWith("/")) {
            throw new IllegalArgumentException(field + " must be a JSON Pointer starting with '/', was: " + pointer);
        }
        // Jackson reads a stray '~' literally; RFC 6901 allows only ~0 and ~1, and a typo would silently never match.
        if (BAD_ESCAPE.matcher(pointer).find()) {
            throw new IllegalArgumentException(field + " has a '~' not followed by 0 or 1: " + pointer);
        }
        try {
            JsonPointer.compile(pointer);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + " is not a valid JSON Pointer: " + pointer, e);
        }
    }
}
