package com.kahula.eventpersister.observability;

/** Keeps values in log lines bounded: an id or a message from outside may be any length. */
public final class LogValues {

    static final int MAX_LENGTH = 200;

    private LogValues() {}

    /** {@code value} itself when short, else its first {@value #MAX_LENGTH} characters and its full length. */
    public static String bounded(String value) {
        if (value.length() <= MAX_LENGTH) {
            return value;
        }
        return value.substring(0, MAX_LENGTH) + "...(" + value.length() + " chars)";
    }
}
