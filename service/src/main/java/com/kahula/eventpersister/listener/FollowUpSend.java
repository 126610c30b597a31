package com.kahula.eventpersister.listener;

import org.jspecify.annotations.Nullable;

/** The span of sending one follow-up to the bus; the follow-up's entry carries it as its trace header. */
public interface FollowUpSend {

    /** X-Ray's trace header naming this span as the parent, for the entry's {@code TraceHeader}; null untraced. */
    @Nullable
    String traceHeader();

    /** Ends the span with what the bus did: {@code accepted}, {@code rejected} or {@code not-sent}. */
    void end(String result, @Nullable Throwable cause);

    FollowUpSend NONE = new FollowUpSend() {
        @Override
        public @Nullable String traceHeader() {
            return null;
        }

        @Override
        public void end(String result, @Nullable Throwable cause) {}
    };
}
