package com.kahula.eventpersister.observability;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.kahula.eventpersister.event.EventMapping;
import com.kahula.eventpersister.event.EventParser;
import com.kahula.eventpersister.event.ParseResult;
import com.kahula.eventpersister.event.Rejection;
import com.kahula.eventpersister.event.StoredEvent;
import com.kahula.eventpersister.listener.Outcome;
import com.kahula.eventpersister.support.SampleEvents;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class OutcomeLogTests {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final OutcomeLog outcomes = new OutcomeLog(new PersisterMetrics(registry));
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(OutcomeLog.class);

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

        outcomes.finished(new Outcome.Conflict(event), System.nanoTime());
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
        outcomes.finished(new Outcome.Parked(Rejection.NOT_JSON, "body is not valid JSON"), System.nanoTime());
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

        outcomes.finished(new Outcome.Conflict(event), System.nanoTime());
        outcomes.finished(new Outcome.Retry("could not store it", event, null), System.nanoTime());

        assertThat(lines.list)
                .allSatisfy(line -> assertThat(line.getFormattedMessage()).doesNotContain("SECRET-SKU"));
    }

    private static StoredEvent event() {
        String body = SampleEvents.envelope(
                "com.kahula.pricing.PriceChangedEvent",
                SampleEvents.detail("pricing").put("sku", "SECRET-SKU"));
        return ((ParseResult.Parsed) new EventParser(EventMapping.defaults(), 262_144).parse(body, Instant.now()))
                .event();
    }
}
