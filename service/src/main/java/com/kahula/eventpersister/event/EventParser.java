package com.kahula.eventpersister.event;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Turns an SQS message body holding an EventBridge envelope into a {@link StoredEvent}, or says why it must be parked.
 *
 * <p>Thread-safe and allocation-light: the body is parsed once into a tree with exact decimals, which serves the
 * field lookups, the stored payload and the hash alike.
 *
 * <p>The envelope contract in one place, one check per field each with the rejection it gives, read top to bottom
 * against the README's table of parking reasons.
 */
public final class EventParser {

    private static final String DUPLICATE_FIELD = "Duplicate field '";
    private static final int MAX_NAME_IN_DETAIL = 100;
    // control characters of any range, and the line and paragraph separators: one line in any reader
    private static final Pattern LINE_BREAKING = Pattern.compile("[\\p{Cc}\\p{Zl}\\p{Zp}]");

    private final JsonPointer idPointer;
    private final JsonPointer sagaIdPointer;
    private final JsonPointer timestampPointer;
    private final JsonPointer domainPointer;
    private final PayloadHasher hasher;
    private final int maxBodyBytes;

    public EventParser(EventMapping mapping, int maxBodyBytes) {
        Objects.requireNonNull(mapping, "mapping");
        if (maxBodyBytes < 1) {
            throw new IllegalArgumentException("maxBodyBytes must be positive, was " + maxBodyBytes);
        }
        this.idPointer = mapping.id();
        this.sagaIdPointer = mapping.sagaId();
        this.timestampPointer = mapping.timestamp();
        this.domainPointer = mapping.domain();
        this.hasher = PayloadHasher.of(mapping);
        this.maxBodyBytes = maxBodyBytes;
    }

    /**
     * Parses one message body; bad input yields {@link ParseResult.ParserRejected}, never an exception.
     *
     * @param receivedAt when the service received the message, stored as {@code receivedAt}
     */
    public ParseResult parse(@Nullable String body, Instant receivedAt) {
        Objects.requireNonNull(receivedAt, "receivedAt");
        try {
            return toEvent(body, receivedAt);
        } catch (RejectedBody reject) {
            return new ParseResult.ParserRejected(reject.reason, reject.detail);
        }
    }

    private ParseResult.Parsed toEvent(@Nullable String body, Instant receivedAt) {
        if (body == null || body.isBlank()) {
            throw new RejectedBody(ParserRejection.EMPTY_BODY, "body is empty");
        }
        if (exceedsMaxBytes(body)) {
            throw new RejectedBody(
                    ParserRejection.TOO_LARGE, "body is larger than " + maxBodyBytes + " bytes in UTF-8");
        }
        if (!(readJson(body) instanceof ObjectNode envelope)) {
            throw new RejectedBody(ParserRejection.NOT_AN_ENVELOPE, "body is JSON but not an object");
        }
        String awsId = requiredText(envelope, "id", ParserRejection.MISSING_ID);
        String detailType = requiredText(envelope, "detail-type", ParserRejection.MISSING_DETAIL_TYPE);
        String source = requiredText(envelope, "source", ParserRejection.MISSING_SOURCE);
        if (!(envelope.get("detail") instanceof ObjectNode detail)) {
            throw new RejectedBody(
                    ParserRejection.DETAIL_NOT_OBJECT, "envelope field 'detail' is missing or not an object");
        }
        String eventName = simpleName(detailType);
        @Nullable String mbocdpId = optionalText(detail, idPointer, "producer id");
        @Nullable String sagaId = optionalText(detail, sagaIdPointer, "saga id");
        @Nullable String domain = optionalText(detail, domainPointer, "domain");
        Instant timestamp = timestamp(envelope, detail);
        String payloadHash = hash(detail);
        StoredEvent event = new StoredEvent(
                mbocdpId != null ? mbocdpId : awsId,
                payloadHash,
                mbocdpId,
                awsId,
                sagaId,
                eventName,
                detailType,
                Timestamps.format(timestamp),
                domain,
                source,
                Json.write(detail),
                Timestamps.format(receivedAt),
                null);
        return new ParseResult.Parsed(event, envelope);
    }

    private boolean exceedsMaxBytes(String body) {
        // A char takes one to three UTF-8 bytes (a surrogate pair four for two chars), so the length bounds the
        // size and the exact count is only needed in between.
        long chars = body.length();
        if (chars > maxBodyBytes) {
            return true;
        }
        return chars * 3 > maxBodyBytes && Utf8.length(body) > maxBodyBytes;
    }

    private static JsonNode readJson(String body) {
        try {
            return Json.read(body);
        } catch (StreamConstraintsException e) {
            throw new RejectedBody(
                    ParserRejection.NOT_JSON, "body exceeds a JSON parser limit: " + oneLine(e.getOriginalMessage()));
        } catch (JsonProcessingException e) {
            throw new RejectedBody(ParserRejection.NOT_JSON, describe(e));
        } catch (NumberFormatException e) {
            // Valid JSON syntax, but an exponent like 1e99999999999 is beyond what BigDecimal can hold.
            throw new RejectedBody(ParserRejection.INVALID_FIELD, "body holds a number whose exponent is out of range");
        }
    }

    private static String describe(JsonProcessingException e) {
        // Jackson's messages quote the offending input, which may be payload content; only a key name is safe.
        String where = e.getLocation() == null
                ? ""
                : " (line " + e.getLocation().getLineNr() + ", column "
                        + e.getLocation().getColumnNr() + ")";
        String message = Objects.requireNonNullElse(e.getOriginalMessage(), "");
        if (message.startsWith(DUPLICATE_FIELD) && message.endsWith("'")) {
            String key = message.substring(DUPLICATE_FIELD.length(), message.length() - 1);
            return "body repeats key '" + oneLine(key) + "'" + where;
        }
        return "body is not valid JSON" + where;
    }

    private static String requiredText(ObjectNode envelope, String field, ParserRejection whenMissing) {
        JsonNode value = envelope.get(field);
        if (value == null || !value.isTextual() || value.textValue().isBlank()) {
            throw new RejectedBody(whenMissing, "envelope field '" + field + "' is missing, null, not text or blank");
        }
        return value.textValue();
    }

    private static String simpleName(String detailType) {
        int lastSeparator = Math.max(detailType.lastIndexOf('.'), detailType.lastIndexOf('$'));
        String name = detailType.substring(lastSeparator + 1);
        if (name.isBlank()) {
            throw new RejectedBody(
                    ParserRejection.INVALID_FIELD,
                    "envelope field 'detail-type' has no name after its last '.' or '$'");
        }
        return name;
    }

    /** Reads an optional identifier: text or an integer; absent, null and blank all mean "not carried". */
    private static @Nullable String optionalText(ObjectNode detail, JsonPointer pointer, String what) {
        JsonNode value = detail.at(pointer);
        if (value.isMissingNode() || value.isNull()) {
            return null;
        }
        if (value.isTextual()) {
            return value.textValue().isBlank() ? null : value.textValue();
        }
        if (value.isIntegralNumber()) {
            return value.asText();
        }
        throw new RejectedBody(
                ParserRejection.INVALID_FIELD,
                what + " at detail " + pointer + " must be text or an integer, was " + typeOf(value));
    }

    private Instant timestamp(ObjectNode envelope, ObjectNode detail) {
        JsonNode value = detail.at(timestampPointer);
        if (isAbsent(value)) {
            JsonNode time = envelope.path("time");
            if (isAbsent(time)) {
                throw new RejectedBody(
                        ParserRejection.INVALID_TIMESTAMP,
                        "no timestamp at detail " + timestampPointer + " and no envelope field 'time'");
            }
            return instant(time, "envelope field 'time'");
        }
        return instant(value, "timestamp at detail " + timestampPointer);
    }

    private static boolean isAbsent(JsonNode value) {
        return value.isMissingNode()
                || value.isNull()
                || (value.isTextual() && value.textValue().isBlank());
    }

    private static Instant instant(JsonNode value, String what) {
        Optional<Instant> instant;
        if (value.isTextual()) {
            instant = Timestamps.parseIso(value.textValue());
        } else if (value.isIntegralNumber() && value.canConvertToLong()) {
            instant = Timestamps.fromEpochMillis(value.longValue());
        } else {
            instant = Optional.empty();
        }
        return instant.orElseThrow(() -> new RejectedBody(
                ParserRejection.INVALID_TIMESTAMP,
                what + " must be ISO-8601 with offset or epoch milliseconds within years 0000-9999, was "
                        + typeOf(value)));
    }

    private String hash(ObjectNode detail) {
        try {
            return hasher.hash(detail);
        } catch (PayloadHasher.NoCanonicalForm e) {
            throw new RejectedBody(ParserRejection.INVALID_FIELD, "detail holds " + e.getMessage() + " (RFC 8785)");
        }
    }

    private static String typeOf(JsonNode value) {
        return value.getNodeType().name().toLowerCase(Locale.ROOT);
    }

    private static String oneLine(String text) {
        String flat = LINE_BREAKING.matcher(text).replaceAll("?");
        return flat.length() > MAX_NAME_IN_DETAIL ? flat.substring(0, MAX_NAME_IN_DETAIL) + "..." : flat;
    }

    /** Carries a rejection out of the parsing steps; expected control flow, so it skips the stack trace. */
    private static final class RejectedBody extends RuntimeException {

        private final ParserRejection reason;
        private final String detail;

        RejectedBody(ParserRejection reason, String detail) {
            super(detail, null, false, false);
            this.reason = reason;
            this.detail = detail;
        }
    }
}
