package com.kahula.eventpersister.listener;

import org.springframework.messaging.Message;

/** Traces the work on each message, continuing the trace it arrived with; {@link #NONE} traces nothing. */
public interface MessageTracing {

    /** Starts the span of {@code message}'s work, a child of the context it arrived with, if any. */
    MessageTrace start(Message<String> message);

    MessageTracing NONE = message -> MessageTrace.NONE;
}
