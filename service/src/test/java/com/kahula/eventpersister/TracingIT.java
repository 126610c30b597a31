package com.kahula.eventpersister;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.kahula.embeddedaws.BusEvent;
import com.kahula.eventpersister.observability.OutcomeLogAndReadiness;
import com.kahula.eventpersister.support.AwsFixture;
import com.kahula.eventpersister.support.EndToEndTest;
import com.kahula.eventpersister.support.SampleEvents;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.logging.logback.StructuredLogEncoder;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.test.context.TestPropertySource;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * One trace from producer to follow-up, on the embedded stack, read from the spans the service exported to memory:
 * an event put on the bus with an X-Ray trace header (which the bus passes to the queue as {@code AWSTraceHeader}) is
 * processed in that trace, stored with its trace id, and its follow-up's entry carries the trace on, so that the
 * follow-up's own trip through the bus and back is in the same trace.
 */
@TestPropertySource(
        properties = {
            "persister.env=e2e-tracing",
            "management.tracing.sampling.probability=1.0",
            "management.opentelemetry.tracing.export.schedule-delay=100ms"
        })
@Import(TracingIT.InMemorySpans.class)
@ExtendWith(OutputCaptureExtension.class)
class TracingIT extends EndToEndTest {

    private static final AwsFixture TRACED = new AwsFixture(STACK, "e2e-tracing");
    private static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("outcome");

    // the producer's trace and span, each test its own (the exporter keeps every test's spans)
    private final String traceId = HexFormat.of().formatHex(randomBytes(16));
    private final String producerSpan = HexFormat.of().formatHex(randomBytes(8));
    // as X-Ray writes them: Root=1-<first 8 hex digits>-<other 24>
    private final String xrayRoot = "Root=1-" + traceId.substring(0, 8) + "-" + traceId.substring(8);
    private final String producerHeader = xrayRoot + ";Parent=" + producerSpan + ";Sampled=1";

    @Autowired
    private InMemorySpanExporter spans;

    @Test
    void continuesTheProducersTraceThroughTheStoreThePublishAndTheFollowUpsOwnTrip() {
        ObjectNode detail = SampleEvents.detail("catalog");
        String id = detail.get("id").asText();

        TRACED.publish(List.of(
                withTraceHeader(SampleEvents.entry("com.kahula.catalog.ProductUpdatedEvent", detail), producerHeader)));

        SpanData message = await().atMost(Duration.ofSeconds(20))
                .until(() -> processSpan(traceId, producerSpan), Optional::isPresent)
                .orElseThrow();
        assertThat(message.getAttributes().get(OUTCOME)).isEqualTo("stored");
        assertThat(childrenOf(message)).extracting(SpanData::getName).contains("persister store", "persister publish");
        SpanData publish = childrenOf(message).stream()
                .filter(span -> span.getName().equals("persister publish"))
                .findFirst()
                .orElseThrow();
        assertThat(TRACED.column(id, "trace_id")).isEqualTo(traceId);
        assertThat(TRACED.column(id, "trace_parent")).isEqualTo("00-" + traceId + "-" + producerSpan + "-01");

        // the follow-up's entry names the publish span as its parent, in the producer's trace
        BusEvent followUp = await().atMost(Duration.ofSeconds(20))
                .until(() -> TRACED.followUpsOf(id), found -> !found.isEmpty())
                .getFirst();
        assertThat(followUp.traceHeader()).startsWith(xrayRoot + ";Parent=" + publish.getSpanId() + ";Sampled=1");

        // and its own processing, back through the bus rule, continues from the publish span
        String followUpId = followUp.detail().get("id").asText();
        SpanData followUpMessage = await().atMost(Duration.ofSeconds(20))
                .until(() -> processSpan(traceId, publish.getSpanId()), Optional::isPresent)
                .orElseThrow();
        assertThat(followUpMessage.getAttributes().get(OUTCOME)).isEqualTo("stored");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> TRACED.row(followUpId).isPresent());
        assertThat(TRACED.column(followUpId, "trace_id")).isEqualTo(traceId);
    }

    @Test
    void aFollowUpTheSweeperSendsLaterContinuesTheTraceItsItemKeeps() {
        ObjectNode detail = SampleEvents.detail("catalog");
        String id = detail.get("id").asText();

        STACK.eventBridge().rejectEntries("NotAuthorizedForSourceException");
        try {
            TRACED.sendToQueueWithTraceHeader(
                    SampleEvents.envelope("com.kahula.catalog.ProductUpdatedEvent", detail), producerHeader);
            await().atMost(Duration.ofSeconds(20)).until(() -> TRACED.row(id).isPresent());
            assertThat(TRACED.column(id, "follow_up_status")).isEqualTo("PENDING");
        } finally {
            STACK.eventBridge().clearFaults();
        }

        BusEvent followUp = await().atMost(Duration.ofSeconds(30))
                .until(() -> TRACED.followUpsOf(id), found -> !found.isEmpty())
                .getFirst();
        SpanData resend = await().atMost(Duration.ofSeconds(10))
                .until(
                        () -> spans.getFinishedSpanItems().stream()
                                .filter(span -> span.getName().equals("persister resend"))
                                .filter(span -> span.getTraceId().equals(traceId))
                                .filter(span -> span.getParentSpanId().equals(producerSpan))
                                .findFirst(),
                        Optional::isPresent)
                .orElseThrow();
        SpanData publish = childrenOf(resend).stream()
                .filter(span -> span.getName().equals("persister publish"))
                .findFirst()
                .orElseThrow();
        assertThat(followUp.traceHeader()).startsWith(xrayRoot + ";Parent=" + publish.getSpanId() + ";Sampled=1");
    }

    @Test
    void anUnsampledTraceExportsNoSpanYetItsFollowUpCarriesItOnUnsampled() {
        ObjectNode detail = SampleEvents.detail("catalog");
        String id = detail.get("id").asText();

        // the producer's sampler said no: the service's follows the parent, though its ratio is 1.0 here
        TRACED.publish(List.of(withTraceHeader(
                SampleEvents.entry("com.kahula.catalog.ProductUpdatedEvent", detail),
                xrayRoot + ";Parent=" + producerSpan + ";Sampled=0")));

        BusEvent followUp = await().atMost(Duration.ofSeconds(20))
                .until(() -> TRACED.followUpsOf(id), found -> !found.isEmpty())
                .getFirst();
        assertThat(TRACED.column(id, "trace_id")).isEqualTo(traceId);
        assertThat(TRACED.column(id, "trace_parent")).isEqualTo("00-" + traceId + "-" + producerSpan + "-00");
        // the same trace, not sampled, from a span of this service's (the message's), not the producer's
        assertThat(followUp.traceHeader()).startsWith(xrayRoot + ";Parent=").endsWith(";Sampled=0");
        assertThat(followUp.traceHeader()).doesNotContain(producerSpan);
        String followUpId = followUp.detail().get("id").asText();
        await().atMost(Duration.ofSeconds(20))
                .until(() -> TRACED.row(followUpId).isPresent());
        assertThat(TRACED.column(followUpId, "trace_id")).isEqualTo(traceId);
        assertThat(TRACED.column(followUpId, "trace_parent")).endsWith("-00");

        // a sampled event put after it is exported: had the unsampled one made spans, they would be there by then
        ObjectNode sampled = SampleEvents.detail("pricing");
        TRACED.publish(List.of(SampleEvents.entry("com.kahula.pricing.PriceChangedEvent", sampled)));
        awaitStoredSpanOf(sampled.get("id").asText());
        assertThat(spans.getFinishedSpanItems())
                .filteredOn(span -> span.getTraceId().equals(traceId))
                .isEmpty();
    }

    @Test
    void startsANewTraceForAnEventThatCameWithoutOne() {
        ObjectNode detail = SampleEvents.detail("pricing");
        String id = detail.get("id").asText();

        TRACED.publish(List.of(SampleEvents.entry("com.kahula.pricing.PriceChangedEvent", detail)));

        SpanData message = awaitStoredSpanOf(id);
        assertThat(message.getParentSpanContext().isValid()).as("a root span").isFalse();
        assertThat(message.getTraceId()).isNotEqualTo(traceId);
        assertThat(TRACED.row(id).orElseThrow()).doesNotContainKeys("trace_id", "trace_parent");
    }

    @Test
    void startsANewTraceForAMalformedHeaderAndStoresTheEvent() {
        ObjectNode detail = SampleEvents.detail("pricing");
        String id = detail.get("id").asText();

        TRACED.publish(List.of(withTraceHeader(
                SampleEvents.entry("com.kahula.pricing.PriceChangedEvent", detail),
                "Root=1-nothex;Parent=?;Sampled=1")));

        SpanData message = awaitStoredSpanOf(id);
        assertThat(message.getParentSpanContext().isValid()).as("a root span").isFalse();
        assertThat(TRACED.row(id).orElseThrow()).doesNotContainKeys("trace_id", "trace_parent");
        assertThat(TRACED.deadLetterContaining(id)).as("parked").isEmpty();
    }

    @Test
    void logsAParkedMessagesOutcomeWithItsTraceAndSpanIds(CapturedOutput output) throws Exception {
        String traceparent = "00-" + traceId + "-" + producerSpan + "-01";
        String marker = "not json " + java.util.UUID.randomUUID();
        Logger outcomes = (Logger) LoggerFactory.getLogger(OutcomeLogAndReadiness.class);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        outcomes.addAppender(lines);
        try {
            TRACED.sendToQueue(
                    marker,
                    Map.of(
                            "traceparent",
                            MessageAttributeValue.builder()
                                    .dataType("String")
                                    .stringValue(traceparent)
                                    .build()));

            SpanData message = await().atMost(Duration.ofSeconds(20))
                    .until(
                            () -> spans.getFinishedSpanItems().stream()
                                    .filter(span -> span.getName().equals("persister process"))
                                    .filter(span -> span.getTraceId().equals(traceId))
                                    .filter(span ->
                                            "parked".equals(span.getAttributes().get(OUTCOME)))
                                    .findFirst(),
                            Optional::isPresent)
                    .orElseThrow();
            assertThat(message.getAttributes().get(AttributeKey.stringKey("reason")))
                    .isEqualTo("not-json");
            assertThat(childrenOf(message)).extracting(SpanData::getName).containsExactly("persister park");
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(output.getOut()).contains(traceId + "-" + message.getSpanId()));
            assertThat(output.getOut()).as("the payload is never logged").doesNotContain(marker);

            // the same line as the ecs profile writes it: the trace and span ids are fields of its JSON
            ILoggingEvent parked = lines.list.stream()
                    .filter(line -> traceId.equals(line.getMDCPropertyMap().get("traceId")))
                    .findFirst()
                    .orElseThrow();
            JsonNode json = ecsJson(parked);
            assertThat(json.path("traceId").asText()).isEqualTo(traceId);
            assertThat(json.path("spanId").asText()).isEqualTo(message.getSpanId());
            assertThat(json.path("message").asText()).startsWith("Parked a message");
        } finally {
            outcomes.detachAppender(lines);
        }
    }

    /** A log line as the ecs profile's console writes it ({@code logging.structured.format.console: ecs}). */
    private static JsonNode ecsJson(ILoggingEvent line) throws Exception {
        LoggerContext encoderContext = new LoggerContext();
        encoderContext.putObject(Environment.class.getName(), new StandardEnvironment());
        StructuredLogEncoder encoder = new StructuredLogEncoder();
        encoder.setContext(encoderContext);
        encoder.setFormat("ecs");
        encoder.start();
        return new ObjectMapper().readTree(new String(encoder.encode(line), StandardCharsets.UTF_8));
    }

    private SpanData awaitStoredSpanOf(String uniqueId) {
        return await().atMost(Duration.ofSeconds(20))
                .until(
                        () -> spans.getFinishedSpanItems().stream()
                                .filter(span -> span.getName().equals("persister process"))
                                .filter(span -> uniqueId.equals(
                                        span.getAttributes().get(AttributeKey.stringKey("event.unique_id"))))
                                .findFirst(),
                        Optional::isPresent)
                .orElseThrow();
    }

    private Optional<SpanData> processSpan(String traceId, String parentSpanId) {
        return spans.getFinishedSpanItems().stream()
                .filter(span -> span.getName().equals("persister process"))
                .filter(span -> span.getTraceId().equals(traceId))
                .filter(span -> span.getParentSpanId().equals(parentSpanId))
                .findFirst();
    }

    private List<SpanData> childrenOf(SpanData parent) {
        return spans.getFinishedSpanItems().stream()
                .filter(span -> span.getParentSpanId().equals(parent.getSpanId()))
                .toList();
    }

    private static byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }

    private static PutEventsRequestEntry withTraceHeader(PutEventsRequestEntry entry, String header) {
        return entry.toBuilder().traceHeader(header).build();
    }

    /** The service's spans, kept in memory for the test to read. */
    @TestConfiguration(proxyBeanMethods = false)
    static class InMemorySpans {

        @Bean
        InMemorySpanExporter inMemorySpanExporter() {
            return InMemorySpanExporter.create();
        }
    }
}
