package com.kahula.eventpersister.event;

/** UTF-8 sizes, as SQS, DynamoDB and EventBridge count their limits, without encoding the text. */
public final class Utf8 {

    private Utf8() {}

    /** The bytes {@code text} takes in UTF-8; a lone surrogate counts as the three bytes of a replacement. */
    public static long length(String text) {
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)
                    && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
