package com.kahula.eventpersister.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PersisterMetricsTests {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final PersisterMetrics metrics = new PersisterMetrics(registry);

    @Test
    void recordsTheLagFromTheEventsStoredTimeToItsStoring() {
        metrics.stored("2026-11-27T10:00:00.250Z", Instant.parse("2026-11-27T10:00:01.750Z"));

        Timer lag = registry.get(PersisterMetrics.LAG).timer();
        assertThat(lag.count()).isEqualTo(1);
        assertThat(lag.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(1500);
        assertThat(registry.get(PersisterMetrics.EVENTS)
                        .tag("outcome", "stored")
                        .counter()
                        .count())
                .isEqualTo(1);
    }

    @Test
    void countsTheMessagesOfEachPollInFlightUntilEachComesToItsOutcome() {
        metrics.batch(10);
        metrics.batch(3);
        for (int finished = 0; finished < 4; finished++) {
            metrics.processed(metrics.startProcessing());
        }

        assertThat(registry.get(PersisterMetrics.IN_FLIGHT).gauge().value()).isEqualTo(9);
    }

    @Test
    void showsTheEmittedMarksQueuedAsThePipelineTellsThem() {
        AtomicInteger queued = new AtomicInteger(12);
        metrics.marksQueued(queued::get);
        queued.set(8);

        assertThat(registry.get(PersisterMetrics.MARKS_QUEUED).gauge().value()).isEqualTo(8);
    }
}
