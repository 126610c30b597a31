package com.kahula.eventpersister.toolkit;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * Where a saga's listing stopped: the last event shown, by the saga index's keys. As a token ({@code
 * --starting-token}) it is opaque to the operator: base64url of the three keys.
 */
record SagaPosition(String sagaId, String timestamp, String uniqueId) {

    private static final char SEPARATOR = '\n';

    SagaPosition {
        Objects.requireNonNull(sagaId, "sagaId");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(uniqueId, "uniqueId");
    }

    String token() {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(
                        (sagaId + SEPARATOR + timestamp + SEPARATOR + uniqueId).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Reads a token that {@link #token()} made.
     *
     * @throws IllegalArgumentException when it is not one
     */
    static SagaPosition ofToken(String token) {
        String decoded = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        String[] keys = decoded.split(String.valueOf(SEPARATOR), -1);
        if (keys.length != 3) {
            throw new IllegalArgumentException("not a token this command printed");
        }
        return new SagaPosition(keys[0], keys[1], keys[2]);
    }
}
