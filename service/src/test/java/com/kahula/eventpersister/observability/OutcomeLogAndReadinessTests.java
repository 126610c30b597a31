package com.kahula.eventpersister.observability;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.kahula.eventpersister.event.EventMapping;
import com.kahula.eventpersister.event.EventParser;
import com.kahula.eventpersister.event.ParseResult;
import com.kahula.eventpersister.event.ParserRejection;
import com.kahula.eventpersister.event.StoredEvent;
import com.kahula.eventpersister.followup.FollowUp;
import com.kahula.eventpersister.listener.Outcome;
import com.kahula.eventpersister.store.FollowUpMark;
import com.kahula.eventpersister.support.MovableClock;
import com.kahula.eventpersister.support.SampleEvents;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.Status;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.eventbridge.model.EventBridgeException;

class OutcomeLogAndReadinessTests {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final MovableClock clock = new MovableClock(Instant.parse("2026-11-30T10:00:00Z"));
    private final AwsAccessHealthIndicator awsAccess = new AwsAccessHealthIndicator(clock);
    private final PersisterMetrics metrics = new PersisterMetrics(registry);
    private final OutcomeLogAndReadiness outcomes = new OutcomeLogAndReadiness(metrics, awsAccess);
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(OutcomeLogAndReadiness.class);

    @BeforeEach
    void capture() {
        lines.start();
        logger.addAppender(lines);
    }

    @AfterEach
    void release() {
        logger.detachAppender(lines);
    }

    @Test
    void everyLineAboutAnEventCarriesItsIdsInTheLoggingContext() {
        StoredEvent event = event();

        outcomes.finished(new Outcome.Conflict(event, "0".repeat(64)), System.nanoTime());
        outcomes.finished(new Outcome.Retry("could not store it", event, null), System.nanoTime());
        outcomes.finished(new Outcome.Retry("unexpected", event, new IllegalStateException("bug")), System.nanoTime());

        assertThat(lines.list)
                .hasSize(3)
                .allSatisfy(line -> assertThat(line.getMDCPropertyMap())
                        .containsEntry("aws_id", event.awsId())
                        .containsEntry("unique_id", event.uniqueId())
                        .containsEntry("saga_id", event.sagaId()));
    }

    @Test
    void countsParkedByReasonAndLeftForRedeliveryAsFailed() {
        outcomes.finished(
                new Outcome.Unparseable(ParserRejection.NOT_JSON, "body is not valid JSON"), System.nanoTime());
        outcomes.finished(new Outcome.Retry("could not park it", null, null), System.nanoTime());

        assertThat(registry.get("persister.events")
                        .tag("outcome", "parked")
                        .tag("reason", "not-json")
                        .counter()
                        .count())
                .isEqualTo(1);
        assertThat(registry.get("persister.events")
                        .tag("outcome", "failed")
                        .counter()
                        .count())
                .isEqualTo(1);
        assertThat(registry.get("persister.event.processing").timer().count()).isEqualTo(2);
    }

    @Test
    void neverLogsThePayload() {
        StoredEvent event = event();

        outcomes.finished(new Outcome.Conflict(event, "0".repeat(64)), System.nanoTime());
        outcomes.finished(new Outcome.Retry("could not store it", event, null), System.nanoTime());

        assertThat(lines.list)
                .allSatisfy(line -> assertThat(line.getFormattedMessage()).doesNotContain("SECRET-SKU"));
    }

    @Test
    void aFailureThatIsTheServicesFaultTurnsReadinessDownAndIsLoggedOnceAMinute() {
        StoredEvent event = event();
        for (int i = 0; i < 5; i++) {
            outcomes.finished(new Outcome.Retry("could not store it", event, accessDenied()), System.nanoTime());
        }

        assertThat(lines.list)
                .singleElement()
                .satisfies(line ->
                        assertThat(line.getFormattedMessage()).contains("readiness is DOWN", "AccessDeniedException"));
        assertThat(awsAccess.health().getStatus()).isEqualTo(Status.DOWN);
        assertThat(awsAccess.health().getDetails()).containsOnlyKeys("DynamoDB");
        assertThat(registry.get("persister.events")
                        .tag("outcome", "failed")
                        .counter()
                        .count())
                .isEqualTo(5);

        clock.advance(Duration.ofSeconds(61));
        assertThat(awsAccess.health().getStatus()).isEqualTo(Status.UP);
        outcomes.finished(new Outcome.Retry("could not store it", event, accessDenied()), System.nanoTime());
        assertThat(lines.list).hasSize(2);
    }

    @Test
    void aFaultOfTheBusHoldsReadinessDownWhileTheStoreAnswersAndEndsWhenTheBusAcceptsAFollowUp() {
        StoredEvent event = event();
        FollowUpMark mark = FollowUpMark.pending("43306142-cc90-5f42-b707-3230affe6d8e", "ValidatableEvent");
        for (int i = 0; i < 3; i++) {
            outcomes.notSent(event, mark, busRefusal());
        }
        outcomes.finished(new Outcome.Stored(event), System.nanoTime());

        assertThat(lines.list)
                .singleElement()
                .satisfies(line -> assertThat(line.getFormattedMessage())
                        .contains("readiness is DOWN", "NotAuthorizedForSourceException"));
        assertThat(awsAccess.health().getStatus()).isEqualTo(Status.DOWN);
        assertThat(awsAccess.health().getDetails()).containsOnlyKeys("EventBridge");

        awsAccess
                .clearingBusFaultOnAcceptance(metrics.followUpListener())
                .emitted(new FollowUp("f-1", "ValidatableEvent", "s", "{}", event.uniqueId(), "rule", null));
        assertThat(awsAccess.health().getStatus()).isEqualTo(Status.UP);
    }

    @Test
    void aFollowUpTheBusDidNotTakeInAnOutageIsLeftToTheCountersWithoutALogLineOrReadiness() {
        StoredEvent event = event();
        FollowUpMark mark = FollowUpMark.pending("43306142-cc90-5f42-b707-3230affe6d8e", "ValidatableEvent");
        for (int i = 0; i < 3; i++) {
            outcomes.notSent(event, mark, SdkClientException.create("connection reset"));
        }

        assertThat(lines.list).isEmpty();
        assertThat(awsAccess.health().getStatus()).isEqualTo(Status.UP);
    }

    @Test
    void anUnexpectedErrorSendingAFollowUpIsLoggedEachTimeWithTheEventsIds() {
        StoredEvent event = event();
        FollowUpMark mark = FollowUpMark.pending("43306142-cc90-5f42-b707-3230affe6d8e", "ValidatableEvent");

        outcomes.notSent(event, mark, new IllegalStateException("a bug"));
        outcomes.notSent(event, mark, new IllegalStateException("a bug"));

        assertThat(lines.list).hasSize(2).allSatisfy(line -> {
            assertThat(line.getLevel()).isEqualTo(Level.ERROR);
            assertThat(line.getFormattedMessage())
                    .contains("43306142-cc90-5f42-b707-3230affe6d8e", "unexpected", "unique_id=" + event.uniqueId());
        });
        assertThat(awsAccess.health().getStatus()).isEqualTo(Status.UP);
    }

    @Test
    void anUnexpectedErrorWritingAMarkIsLoggedEachTimeAndLeavesReadinessUp() {
        StoredEvent event = event();
        FollowUpMark mark = FollowUpMark.pending("43306142-cc90-5f42-b707-3230affe6d8e", "ValidatableEvent");

        outcomes.notMarked(event, mark, new IllegalStateException("a bug"));
        outcomes.notMarked(event, mark, new IllegalStateException("a bug"));

        assertThat(lines.list).hasSize(2).allSatisfy(line -> {
            assertThat(line.getLevel()).isEqualTo(Level.ERROR);
            assertThat(line.getFormattedMessage()).contains("unexpected", "unique_id=" + event.uniqueId());
        });
        assertThat(awsAccess.health().getStatus()).isEqualTo(Status.UP);
    }

    @Test
    void anOutageLeavesReadinessToTheChecksOfTheTableAndTheQueue() {
        outcomes.finished(
                new Outcome.Retry("could not store it", event(), SdkClientException.create("connection reset")),
                System.nanoTime());

        assertThat(awsAccess.health().getStatus()).isEqualTo(Status.UP);
        assertThat(lines.list)
                .singleElement()
                .satisfies(line -> assertThat(line.getFormattedMessage()).contains("connection reset"));
    }

    @Test
    void boundsIdsInLogLinesAndNotesTheirLength() {
        String body = SampleEvents.envelope(
                "com.kahula.pricing.PriceChangedEvent",
                SampleEvents.detail("pricing").put("id", "x".repeat(3000)));
        StoredEvent event = ((ParseResult.Parsed)
                        new EventParser(EventMapping.defaults(), 262_144).parse(body, Instant.now()))
                .event();

        outcomes.finished(new Outcome.StoreRejected(event, "unique_id is 3000 bytes"), System.nanoTime());

        assertThat(lines.list).singleElement().satisfies(line -> {
            assertThat(line.getFormattedMessage()).contains("(3000 chars)").hasSizeLessThan(600);
            assertThat(line.getMDCPropertyMap().get("unique_id")).hasSizeLessThan(230);
        });
    }

    @Test
    void aRejectedFollowUpIsCountedAndLoggedWithTheBusWordsAndTheEventsIds() {
        StoredEvent event = event();
        FollowUpMark mark = FollowUpMark.pending("43306142-cc90-5f42-b707-3230affe6d8e", "ValidatableEvent");

        outcomes.busRejectedFollowUp(event, mark, "MalformedDetail: Detail is malformed.");

        assertThat(registry.get("persister.followups")
                        .tags("type", "ValidatableEvent", "outcome", "rejected")
                        .counter()
                        .count())
                .isEqualTo(1);
        assertThat(lines.list).singleElement().satisfies(line -> {
            assertThat(line.getLevel()).isEqualTo(Level.WARN);
            assertThat(line.getFormattedMessage())
                    .contains(
                            "43306142-cc90-5f42-b707-3230affe6d8e",
                            "REJECTED",
                            "MalformedDetail: Detail is malformed.",
                            "unique_id=" + event.uniqueId())
                    .doesNotContain("SECRET-SKU");
            assertThat(line.getMDCPropertyMap()).containsEntry("unique_id", event.uniqueId());
        });
        assertThat(awsAccess.health().getStatus()).isEqualTo(Status.UP);
    }

    @Test
    void anExtraSendIsCountedWithoutALogLine() {
        outcomes.sentAgain(FollowUpMark.pending("43306142-cc90-5f42-b707-3230affe6d8e", "ValidatableEvent"));

        assertThat(registry.get("persister.followups")
                        .tags("type", "ValidatableEvent", "outcome", "sent-again")
                        .counter()
                        .count())
                .isEqualTo(1);
        assertThat(lines.list).isEmpty();
    }

    private static EventBridgeException busRefusal() {
        return (EventBridgeException) EventBridgeException.builder()
                .statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder()
                        .errorCode("NotAuthorizedForSourceException")
                        .errorMessage("not authorized for this source")
                        .build())
                .build();
    }

    private static DynamoDbException accessDenied() {
        return (DynamoDbException) DynamoDbException.builder()
                .statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder()
                        .errorCode("AccessDeniedException")
                        .errorMessage("not authorized to perform dynamodb:PutItem")
                        .build())
                .build();
    }

    private static StoredEvent event() {
        String body = SampleEvents.envelope(
                "com.kahula.pricing.PriceChangedEvent",
                SampleEvents.detail("pricing").put("sku", "SECRET-SKU"));
        return ((ParseResult.Parsed) new EventParser(EventMapping.defaults(), 262_144).parse(body, Instant.now()))
                .event();
    }
}
