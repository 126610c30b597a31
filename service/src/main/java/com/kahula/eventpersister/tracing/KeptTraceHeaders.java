package com.kahula.eventpersister.tracing;

import com.kahula.eventpersister.event.TraceContext;
import com.kahula.eventpersister.listener.FollowUpSend;
import com.kahula.eventpersister.listener.FollowUpTracing;
import org.jspecify.annotations.Nullable;

/**
 * The toolkit's tracing, which makes no spans: a follow-up it sends carries the trace its item keeps, as a child of the
 * producer's span, so that it continues that trace on the bus and in this service.
 */
public final class KeptTraceHeaders implements FollowUpTracing {

    @Override
    public FollowUpSend resuming(@Nullable TraceContext kept, String type) {
        String header = kept == null ? null : IncomingTrace.xrayHeader(kept);
        return new FollowUpSend() {
            @Override
            public @Nullable String traceHeader() {
                return header;
            }

            @Override
            public void end(String result, @Nullable Throwable cause) {}
        };
    }
}
