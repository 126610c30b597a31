package com.kahula.eventpersister.followup;

import java.util.regex.Pattern;
import software.amazon.event.ruler.Machine;

/**
 * One follow-up rule: an event that matches {@code pattern}, an EventBridge event pattern over the envelope, makes the
 * service emit an event of detail-type {@code emit}. The pattern is compiled here, so a bad one fails configuration.
 */
public record FollowUpRule(String name, String pattern, String emit) {

    private static final Pattern DETAIL_TYPE = Pattern.compile("[A-Za-z][A-Za-z0-9_.$-]{0,127}");

    public FollowUpRule {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a follow-up rule needs a name");
        }
        if (emit == null || !DETAIL_TYPE.matcher(emit).matches()) {
            throw new IllegalArgumentException("follow-up rule '" + name + "': emit must be a detail-type such as"
                    + " ValidatableEvent (letters, digits, . $ _ -), was '" + emit + "'");
        }
        if (pattern == null || pattern.isBlank()) {
            throw new IllegalArgumentException("follow-up rule '" + name + "' needs a pattern");
        }
        try {
            new Machine().addRule(name, pattern);
        } catch (Exception | Error invalid) {
            throw new IllegalArgumentException(
                    "follow-up rule '" + name + "': the pattern is not a valid EventBridge event pattern: "
                            + invalid.getMessage(),
                    invalid);
        }
    }
}
