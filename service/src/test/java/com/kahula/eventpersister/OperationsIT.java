package com.kahula.eventpersister;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.kahula.eventpersister.support.AwsFixture;
import com.kahula.eventpersister.support.EndToEndTest;
import com.kahula.eventpersister.support.EventOracle;
import com.kahula.eventpersister.support.NettyPipelineEnd;
import com.kahula.eventpersister.support.SampleEvents;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.HttpStatus;
import org.springframework.test.context.TestPropertySource;

/** What an operator sees: health probes, the metrics after a known run, and the build in info. */
@TestPropertySource(properties = "persister.env=e2e-ops")
@ExtendWith(OutputCaptureExtension.class)
class OperationsIT extends EndToEndTest {

    private static final AwsFixture OPS_AWS = new AwsFixture(STACK, "e2e-ops");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Value("${local.server.port}")
    int port;

    @Test
    void readinessFollowsDynamoDbWhileLivenessStaysUp() {
        await().until(() -> status("/actuator/health/readiness") == HttpStatus.OK);

        STACK.pauseDynamoDb();
        try {
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> status("/actuator/health/readiness") == HttpStatus.SERVICE_UNAVAILABLE);
            assertThat(status("/actuator/health/liveness")).isEqualTo(HttpStatus.OK);
            assertThat(json("/actuator/health/readiness")
                            .at("/components/eventTable/status")
                            .asText())
                    .isEqualTo("DOWN");
        } finally {
            STACK.resumeDynamoDb();
        }

        await().atMost(Duration.ofSeconds(20)).until(() -> status("/actuator/health/readiness") == HttpStatus.OK);
        assertThat(status("/actuator/health/liveness")).isEqualTo(HttpStatus.OK);
        assertThat(json("/actuator/health/readiness").at("/components").fieldNames())
                .toIterable()
                .contains("eventTable", "eventQueue", "listener", "readinessState");
    }

    @Test
    void aMissingTableParksNothingAndShowsInReadinessUntilItIsBack() {
        await().until(() -> status("/actuator/health/readiness") == HttpStatus.OK);
        ObjectNode detail = SampleEvents.detail("pricing");
        String id = detail.get("id").asText();

        OPS_AWS.deleteTable();
        try {
            OPS_AWS.sendToQueue(SampleEvents.envelope("com.kahula.pricing.PriceChangedEvent", detail));
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> "DOWN"
                            .equals(json("/actuator/health/readiness")
                                    .at("/components/awsAccess/status")
                                    .asText()));
            assertThat(status("/actuator/health/readiness")).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
            assertThat(status("/actuator/health/liveness")).isEqualTo(HttpStatus.OK);
            assertThat(OPS_AWS.deadLetters()).noneMatch(letter -> letter.body().contains(id));
        } finally {
            OPS_AWS.createTable();
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> OPS_AWS.row(id).isPresent());
        await().atMost(Duration.ofSeconds(20)).until(() -> status("/actuator/health/readiness") == HttpStatus.OK);
        assertThat(OPS_AWS.deadLetters()).noneMatch(letter -> letter.body().contains(id));
    }

    @Test
    void aRevokedPermissionParksNothingAndShowsInReadinessUntilItIsBack() {
        await().until(() -> status("/actuator/health/readiness") == HttpStatus.OK);
        ObjectNode detail = SampleEvents.detail("pricing");
        String id = detail.get("id").asText();

        STACK.refusePutItem("AccessDeniedException");
        try {
            OPS_AWS.sendToQueue(SampleEvents.envelope("com.kahula.pricing.PriceChangedEvent", detail));
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> json("/actuator/health/readiness")
                            .at("/components/awsAccess/details/DynamoDB/cause")
                            .asText()
                            .contains("AccessDeniedException"));
            assertThat(status("/actuator/health/readiness")).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
            assertThat(json("/actuator/health/readiness")
                            .at("/components/eventTable/status")
                            .asText())
                    .isEqualTo("UP");
            assertThat(OPS_AWS.deadLetters()).noneMatch(letter -> letter.body().contains(id));
        } finally {
            STACK.refusePutItem(null);
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> OPS_AWS.row(id).isPresent());
        await().atMost(Duration.ofSeconds(20)).until(() -> status("/actuator/health/readiness") == HttpStatus.OK);
        assertThat(OPS_AWS.deadLetters()).noneMatch(letter -> letter.body().contains(id));
    }

    @Test
    void metricsCountAKnownRunByOutcome() {
        ObjectNode updated = SampleEvents.detail("catalog");
        ObjectNode plain = SampleEvents.detail("pricing");
        String updatedBody = SampleEvents.envelope("com.kahula.catalog.ProductUpdatedEvent", updated);
        String plainBody = SampleEvents.envelope("com.kahula.pricing.PriceChangedEvent", plain);
        String conflicting = SampleEvents.envelope(
                "com.kahula.pricing.PriceChangedEvent", plain.deepCopy().put("sku", "OTHER"));

        // other tests of this class share the service and its counters: count from here
        double stored = count("persister.events", "outcome:stored");
        double duplicate = count("persister.events", "outcome:duplicate");
        double conflict = count("persister.events", "outcome:conflict");
        double notJson = count("persister.events", "outcome:parked", "reason:not-json");
        double failed = count("persister.events", "outcome:failed");
        double emitted = count("persister.followups", "type:ValidatableEvent", "outcome:emitted");
        double processed = count("persister.event.processing");
        double lag = count("persister.event.lag");

        OPS_AWS.sendToQueue(updatedBody);
        OPS_AWS.sendToQueue(plainBody);
        String followUpId = EventOracle.followUpId(updated.get("id").asText(), "ValidatableEvent");
        await().until(() -> OPS_AWS.row(plain.get("id").asText()).isPresent()
                && OPS_AWS.row(followUpId).isPresent()
                && "EMITTED".equals(OPS_AWS.column(updated.get("id").asText(), "follow_up_status")));
        OPS_AWS.sendToQueue(plainBody);
        OPS_AWS.sendToQueue(conflicting);
        OPS_AWS.sendToQueue("not json " + UUID.randomUUID());

        await().untilAsserted(() -> {
            // two events and the follow-up
            assertThat(count("persister.events", "outcome:stored")).isEqualTo(stored + 3);
            assertThat(count("persister.events", "outcome:duplicate")).isEqualTo(duplicate + 1);
            assertThat(count("persister.events", "outcome:conflict")).isEqualTo(conflict + 1);
            assertThat(count("persister.events", "outcome:parked", "reason:not-json"))
                    .isEqualTo(notJson + 1);
            assertThat(count("persister.events", "outcome:failed")).isEqualTo(failed);
        });
        assertThat(count("persister.followups", "type:ValidatableEvent", "outcome:emitted"))
                .isEqualTo(emitted + 1);
        assertThat(count("persister.batch.size")).isPositive();
        assertThat(count("persister.event.processing")).isGreaterThanOrEqualTo(processed + 6);
        assertThat(count("persister.event.lag")).isEqualTo(lag + 3);
        assertThat(count("persister.aws.calls", "service:DynamoDb", "operation:PutItem"))
                .isGreaterThanOrEqualTo(5);
        assertThat(count("persister.aws.calls", "service:EventBridge", "operation:PutEvents"))
                .isGreaterThanOrEqualTo(1);
        assertThat(count("persister.aws.calls", "service:Sqs", "operation:ReceiveMessage"))
                .isPositive();
        assertThat(json("/actuator/metrics").get("names"))
                .extracting(JsonNode::asText)
                .contains("resilience4j.retry.calls", "resilience4j.circuitbreaker.state", "jvm.threads.live")
                .as("Logback's metrics, whose turbo filter every level check of the SDK and Netty would consult")
                .doesNotContain("logback.events");
    }

    @Test
    void everySeriesTheAlarmsAndTheDashboardReadIsThereFromStartUp() {
        List<String> series = new ArrayList<>(List.of(
                metricPath("persister.events", "outcome:failed", "reason:none"),
                metricPath("persister.event.processing"),
                metricPath("persister.event.lag.percentile", "phi:0.99"),
                metricPath("persister.followups.pending.oldest"),
                metricPath("persister.listener.paused"),
                metricPath("persister.followups.all", "outcome:failed"),
                metricPath("persister.followups.all", "outcome:emitted")));
        // the types of application.yml's rules; no test of this class makes an IndexableEvent, so only start-up can
        // have registered its series
        for (String type : List.of("ValidatableEvent", "IndexableEvent")) {
            for (String outcome : List.of("emitted", "retried", "failed", "unmarked", "rejected", "sent-again")) {
                series.add(metricPath("persister.followups", "type:" + type, "outcome:" + outcome));
            }
        }

        assertThat(series)
                .as("series the service does not publish")
                .filteredOn(path -> get(path).statusCode() != HttpStatus.OK.value())
                .isEmpty();
    }

    @Test
    void infoShowsTheBuildAndCommit() {
        JsonNode info = json("/actuator/info");

        assertThat(info.at("/build/artifact").asText()).isEqualTo("event-persister");
        assertThat(info.at("/build/version").asText()).isNotBlank();
        assertThat(info.at("/git/commit/id").asText()).isNotBlank();
    }

    /** The SDK's "Request cancelled" at a pipeline's end is left out of the log, any other exception there is not. */
    @Test
    void nettysWarningIsLeftOutForARequestTheSdkAbandonedAndOnlyForIt(CapturedOutput output) throws Exception {
        IOException cancelled = NettyPipelineEnd.requestCancelled();
        IOException reset = new IOException("Connection reset by peer");

        assertThat(NettyPipelineEnd.fire(cancelled))
                .as("reached the pipeline's end")
                .isSameAs(cancelled);
        assertThat(NettyPipelineEnd.fire(reset))
                .as("reached the pipeline's end")
                .isSameAs(reset);

        assertThat(output.getAll())
                .contains("reached at the tail of the pipeline")
                .contains("Connection reset by peer")
                .doesNotContain("Request cancelled");
    }

    private double count(String metric, String... tags) {
        HttpResponse<String> response = get(metricPath(metric, tags));
        if (response.statusCode() == HttpStatus.NOT_FOUND.value()) {
            return 0;
        }
        JsonNode body = parse(response.body());
        for (JsonNode measurement : body.get("measurements")) {
            if (measurement.get("statistic").asText().equals("COUNT")) {
                return measurement.get("value").asDouble();
            }
        }
        throw new AssertionError(metric + " has no COUNT: " + body);
    }

    private static String metricPath(String metric, String... tags) {
        StringBuilder uri = new StringBuilder("/actuator/metrics/" + metric);
        for (int i = 0; i < tags.length; i++) {
            uri.append(i == 0 ? '?' : '&').append("tag=").append(tags[i]);
        }
        return uri.toString();
    }

    private HttpStatus status(String path) {
        return HttpStatus.valueOf(get(path).statusCode());
    }

    private JsonNode json(String path) {
        return parse(get(path).body());
    }

    private HttpResponse<String> get(String path) {
        try {
            return HTTP.send(
                    HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
