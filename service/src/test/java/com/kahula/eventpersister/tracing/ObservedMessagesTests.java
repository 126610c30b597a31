package com.kahula.eventpersister.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import com.kahula.eventpersister.event.TraceContext;
import com.kahula.eventpersister.listener.FollowUpSend;
import com.kahula.eventpersister.listener.MessageTrace;
import com.kahula.eventpersister.listener.Outcome;
import io.awspring.cloud.sqs.listener.SqsHeaders;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelPropagator;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * The messages' observations over an OpenTelemetry SDK whose sampler follows the parent's flag, as Spring Boot's does
 * for a context that has one: the sampler decides once, and an unsampled message or kept context makes one span (not
 * exported) and no children, yet its follow-ups carry its trace on. Expected ids are read off the headers by hand.
 */
class ObservedMessagesTests {

    private static final String TRACE_ID = "5759e988bd862e3fe1be46a994272793";
    private static final String PRODUCER_SPAN = "53995c3f42cd8ad8";
    private static final String ROOT = "Root=1-5759e988-bd862e3fe1be46a994272793";

    private final InMemorySpanExporter exported = InMemorySpanExporter.create();
    private final SdkTracerProvider provider = SdkTracerProvider.builder()
            .setSampler(Sampler.parentBased(Sampler.alwaysOff()))
            .addSpanProcessor(SimpleSpanProcessor.create(exported))
            .build();
    private final io.opentelemetry.api.trace.Tracer otel = provider.get("observed-messages-tests");
    private final ObservationRegistry registry = TracingConfiguration.spansOnly(
            new OtelTracer(otel, new OtelCurrentTraceContext(), event -> {}),
            new OtelPropagator(ContextPropagators.create(IncomingTrace.PROPAGATORS), otel));
    private final List<String> started = new ArrayList<>();
    private final ObservedMessages observed = new ObservedMessages(registry);

    ObservedMessagesTests() {
        registry.observationConfig().observationHandler(new ObservationHandler<>() {
            @Override
            public void onStart(Observation.Context context) {
                started.add(context.getName());
            }

            @Override
            public boolean supportsContext(Observation.Context context) {
                return true;
            }
        });
    }

    @AfterEach
    void close() {
        provider.close();
    }

    @Test
    void aSampledMessageHasItsStoreAndPublishChildren() {
        MessageTrace trace = observed.start(message(ROOT + ";Parent=" + PRODUCER_SPAN + ";Sampled=1"));
        trace.storing(() -> CompletableFuture.completedFuture("stored")).join();
        FollowUpSend send = trace.sending("ValidatableEvent");
        send.end("accepted", null);
        trace.finish(new Outcome.Retry("test", null, null));

        assertThat(started)
                .containsExactly("persister.trace.message", "persister.trace.store", "persister.trace.publish");
        SpanData message = span("persister process");
        SpanData publish = span("persister publish");
        assertThat(message.getTraceId()).isEqualTo(TRACE_ID);
        assertThat(message.getParentSpanId()).isEqualTo(PRODUCER_SPAN);
        assertThat(span("persister store").getParentSpanId()).isEqualTo(message.getSpanId());
        assertThat(publish.getParentSpanId()).isEqualTo(message.getSpanId());
        assertThat(send.traceHeader()).startsWith(ROOT + ";Parent=" + publish.getSpanId() + ";Sampled=1");
    }

    @Test
    void anUnsampledMessageMakesNoChildrenAndItsFollowUpsCarryItsTraceUnsampled() {
        MessageTrace trace = observed.start(message(ROOT + ";Parent=" + PRODUCER_SPAN + ";Sampled=0"));
        String stored =
                trace.storing(() -> CompletableFuture.completedFuture("stored")).join();
        FollowUpSend send = trace.sending("ValidatableEvent");
        send.end("accepted", null);
        trace.finish(new Outcome.Retry("test", null, null));

        assertThat(stored).isEqualTo("stored");
        assertThat(started).as("the message's own observation only").containsExactly("persister.trace.message");
        assertThat(exported.getFinishedSpanItems()).isEmpty();
        assertThat(trace.arrivedWith()).isEqualTo(new TraceContext(TRACE_ID, PRODUCER_SPAN, false));
        assertThat(send.traceHeader())
                .matches(ROOT + ";Parent=[0-9a-f]{16};Sampled=0")
                .doesNotContain(PRODUCER_SPAN);
    }

    @Test
    void aResendOfASampledKeptContextIsItsChildWithAPublishChildOfItsOwn() {
        FollowUpSend send = observed.resuming(new TraceContext(TRACE_ID, PRODUCER_SPAN, true), "ValidatableEvent");
        send.end("accepted", null);

        SpanData resend = span("persister resend");
        SpanData publish = span("persister publish");
        assertThat(resend.getTraceId()).isEqualTo(TRACE_ID);
        assertThat(resend.getParentSpanId()).isEqualTo(PRODUCER_SPAN);
        assertThat(publish.getParentSpanId()).isEqualTo(resend.getSpanId());
        assertThat(send.traceHeader()).startsWith(ROOT + ";Parent=" + publish.getSpanId() + ";Sampled=1");
    }

    @Test
    void aResendOfAnUnsampledKeptContextCarriesItsTraceOnUnsampled() {
        FollowUpSend send = observed.resuming(new TraceContext(TRACE_ID, PRODUCER_SPAN, false), "ValidatableEvent");
        send.end("accepted", null);

        assertThat(started).containsExactly("persister.trace.resend");
        assertThat(exported.getFinishedSpanItems()).isEmpty();
        assertThat(send.traceHeader())
                .matches(ROOT + ";Parent=[0-9a-f]{16};Sampled=0")
                .doesNotContain(PRODUCER_SPAN);
    }

    private SpanData span(String name) {
        return exported.getFinishedSpanItems().stream()
                .filter(span -> span.getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no span " + name + " in " + exported.getFinishedSpanItems()));
    }

    private static Message<String> message(String awsTraceHeader) {
        software.amazon.awssdk.services.sqs.model.Message source =
                software.amazon.awssdk.services.sqs.model.Message.builder()
                        .messageId("m-1")
                        .body("{}")
                        .attributes(Map.of(MessageSystemAttributeName.AWS_TRACE_HEADER, awsTraceHeader))
                        .build();
        return MessageBuilder.withPayload("{}")
                .setHeader(SqsHeaders.SQS_SOURCE_DATA_HEADER, source)
                .build();
    }
}
