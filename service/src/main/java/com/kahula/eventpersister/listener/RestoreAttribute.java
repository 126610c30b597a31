package com.kahula.eventpersister.listener;

import org.springframework.messaging.Message;

/**
 * The message attribute with which the toolkit's restore marks the envelopes it sends from the archive: a restored
 * event is stored as any other, but its follow-up rules do not fire again unless the restore asked for them.
 */
public final class RestoreAttribute {

    /** The attribute's name; spring-cloud-aws maps each message attribute to a header of that name. */
    public static final String NAME = "persister-restore";

    /** The value of a restore run with {@code --with-follow-ups}; any other value stores without follow-ups. */
    public static final String WITH_FOLLOW_UPS = "with-follow-ups";

    /** The value of a restore that stores only, the default. */
    public static final String WITHOUT_FOLLOW_UPS = "without-follow-ups";

    private RestoreAttribute() {}

    /** Whether the follow-up rules apply to this message: yes unless a restore sent it without follow-ups. */
    static boolean firesFollowUps(Message<?> message) {
        Object restore = message.getHeaders().get(NAME);
        return restore == null || WITH_FOLLOW_UPS.equals(restore);
    }
}
