package com.kahula.eventpersister.event;

/**
 * Why the parser refuses a message body, so that it is parked instead of stored; the code is what operators see on
 * the parked message ({@code persister-error}). A conflict is not here: the store decides it, not the parser.
 */
public enum ParserRejection {
    NOT_JSON("not-json"),
    NOT_AN_ENVELOPE("not-an-envelope"),
    MISSING_ID("missing-id"),
    MISSING_DETAIL_TYPE("missing-detail-type"),
    MISSING_SOURCE("missing-source"),
    DETAIL_NOT_OBJECT("detail-not-object"),
    INVALID_FIELD("invalid-field"),
    INVALID_TIMESTAMP("invalid-timestamp"),
    TOO_LARGE("too-large"),
    EMPTY_BODY("empty-body");

    private final String code;

    ParserRejection(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }
}
