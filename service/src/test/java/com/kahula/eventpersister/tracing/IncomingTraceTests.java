package com.kahula.eventpersister.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import com.kahula.eventpersister.event.TraceContext;
import io.opentelemetry.contrib.awsxray.propagator.AwsXrayPropagator;
import org.junit.jupiter.api.Test;

/** Expected ids are read off the headers by hand, by the X-Ray and W3C formats. */
class IncomingTraceTests {

    private static final String XRAY = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";
    private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @Test
    void readsTheProducersTraceFromXraysHeader() {
        assertThat(IncomingTrace.of(IncomingTrace.carrier(XRAY, null)))
                .contains(new TraceContext("5759e988bd862e3fe1be46a994272793", "53995c3f42cd8ad8", true));
        assertThat(IncomingTrace.of(IncomingTrace.carrier(
                        "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=0", null)))
                .hasValueSatisfying(context -> assertThat(context.sampled()).isFalse());
    }

    @Test
    void readsAW3cTraceparentAndPrefersItToXrays() {
        TraceContext w3c = new TraceContext("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", true);

        assertThat(IncomingTrace.of(IncomingTrace.carrier(null, TRACEPARENT))).contains(w3c);
        assertThat(IncomingTrace.of(IncomingTrace.carrier(XRAY, TRACEPARENT))).contains(w3c);
    }

    @Test
    void findsNoContextInAMalformedOrMissingHeader() {
        assertThat(IncomingTrace.of(IncomingTrace.carrier(null, null))).isEmpty();
        assertThat(IncomingTrace.of(IncomingTrace.carrier("Root=garbage;Parent=x;Sampled=1", null)))
                .isEmpty();
        assertThat(IncomingTrace.of(IncomingTrace.carrier(null, "00-nope-00f067aa0ba902b7-01")))
                .isEmpty();
        assertThat(IncomingTrace.of(IncomingTrace.carrier(XRAY, "00-nope-00f067aa0ba902b7-01")))
                .as("a malformed traceparent leaves X-Ray's context")
                .hasValueSatisfying(
                        context -> assertThat(context.traceId()).isEqualTo("5759e988bd862e3fe1be46a994272793"));
    }

    @Test
    void writesXraysHeaderNamingAKeptContextAsTheParent() {
        TraceContext kept = new TraceContext("5759e988bd862e3fe1be46a994272793", "53995c3f42cd8ad8", true);

        assertThat(IncomingTrace.xrayHeader(kept))
                .isEqualTo("Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1");
        assertThat(IncomingTrace.xrayHeader(new TraceContext(kept.traceId(), kept.parentId(), false)))
                .endsWith(";Sampled=0");
        assertThat(IncomingTrace.of(IncomingTrace.carrier(IncomingTrace.xrayHeader(kept), null)))
                .contains(kept);
    }

    @Test
    void namesTheHeaderXraysPropagatorReadsAndWrites() {
        assertThat(AwsXrayPropagator.getInstance().fields()).contains(IncomingTrace.XRAY_HEADER);
    }
}
