package com.kahula.eventpersister.event;

import com.kahula.eventpersister.event.GeneratedJson.Style;
import com.kahula.eventpersister.event.GeneratedJson.Value;
import com.kahula.eventpersister.support.EventOracle;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;

/**
 * RFC 8785 canonical JSON of a generated value, by {@link EventOracle}, which shares no code with the service: two
 * values are the same content exactly when their canonical forms are equal.
 */
final class CanonicalJson {

    private CanonicalJson() {}

    static String of(Value value) {
        // the plain style neither shuffles, spaces, respells nor escapes: the random source is never drawn from
        return EventOracle.canonicalJson(GeneratedJson.write(value, Style.PLAIN, new Random(0)));
    }

    static boolean sameContent(Value first, Value second) {
        return of(first).equals(of(second));
    }

    /** SHA-256 over the UTF-8 bytes of the canonical form, in lower-case hex. */
    static String sha256(Value value) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256")
                            .digest(of(value).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK provides SHA-256", e);
        }
    }
}
