package com.kahula.eventpersister.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TraceContextTests {

    private static final String TRACE_ID = "6751c0de4f2a9b3c8d7e6f5a4b3c2d1e";

    @Test
    void writesItsW3cAndXrayForms() {
        TraceContext sampled = new TraceContext(TRACE_ID, "53995c3f42cd8ad8", true);
        TraceContext notSampled = new TraceContext(TRACE_ID, "53995c3f42cd8ad8", false);

        assertThat(sampled.traceparent()).isEqualTo("00-6751c0de4f2a9b3c8d7e6f5a4b3c2d1e-53995c3f42cd8ad8-01");
        assertThat(notSampled.traceparent()).isEqualTo("00-6751c0de4f2a9b3c8d7e6f5a4b3c2d1e-53995c3f42cd8ad8-00");
        assertThat(sampled.xrayTraceId()).isEqualTo("1-6751c0de-4f2a9b3c8d7e6f5a4b3c2d1e");
    }

    @Test
    void readsBackTheTraceparentItWrote() {
        TraceContext context = new TraceContext(TRACE_ID, "53995c3f42cd8ad8", true);

        assertThat(TraceContext.fromTraceparent(context.traceparent())).contains(context);
        assertThat(TraceContext.fromTraceparent("00-" + TRACE_ID + "-53995c3f42cd8ad8-00"))
                .hasValueSatisfying(read -> assertThat(read.sampled()).isFalse());
    }

    @Test
    void readsNoContextFromWhatIsNotAValidTraceparent() {
        assertThat(TraceContext.fromTraceparent(null)).isEmpty();
        assertThat(TraceContext.fromTraceparent("")).isEmpty();
        assertThat(TraceContext.fromTraceparent("01-" + TRACE_ID + "-53995c3f42cd8ad8-01"))
                .isEmpty();
        assertThat(TraceContext.fromTraceparent("00-" + "0".repeat(32) + "-53995c3f42cd8ad8-01"))
                .isEmpty();
        assertThat(TraceContext.fromTraceparent("00-" + TRACE_ID + "-" + "0".repeat(16) + "-01"))
                .isEmpty();
        assertThat(TraceContext.fromTraceparent("00-" + TRACE_ID.toUpperCase() + "-53995c3f42cd8ad8-01"))
                .isEmpty();
    }

    @Test
    void refusesIdsOfTheWrongShape() {
        assertThatThrownBy(() -> new TraceContext("abc", "53995c3f42cd8ad8", true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("traceId");
        assertThatThrownBy(() -> new TraceContext(TRACE_ID, "0".repeat(16), true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("parentId");
    }
}
