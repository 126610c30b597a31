package com.kahula.eventpersister.config;

import com.kahula.eventpersister.event.EventParser;
import com.kahula.eventpersister.followup.FollowUpFactory;
import com.kahula.eventpersister.followup.FollowUpPublisher;
import com.kahula.eventpersister.followup.FollowUpRules;
import com.kahula.eventpersister.listener.DeadLetterParking;
import com.kahula.eventpersister.listener.EventPipeline;
import com.kahula.eventpersister.listener.FollowUpSweeper;
import com.kahula.eventpersister.listener.FollowUpTracing;
import com.kahula.eventpersister.listener.MessageTracing;
import com.kahula.eventpersister.listener.SqsDeadLetterParking;
import com.kahula.eventpersister.observability.AwsAccessHealthIndicator;
import com.kahula.eventpersister.observability.OutcomeLogAndReadiness;
import com.kahula.eventpersister.observability.PersisterMetrics;
import com.kahula.eventpersister.store.EventStore;
import com.kahula.eventpersister.store.FollowUpOutbox;
import io.awspring.cloud.sqs.config.SqsMessageListenerContainerFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/** The SQS listener container and the per-message pipeline behind it. */
@Configuration(proxyBeanMethods = false)
class ListenerConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ListenerConfiguration.class);

    /** The container's options ({@link ListenerContainerOptions}), the store's pause before the other back-pressure. */
    @Bean
    SqsMessageListenerContainerFactory<Object> defaultSqsListenerContainerFactory(
            SqsAsyncClient sqs,
            PersisterProperties properties,
            SimpleAsyncTaskExecutor listenerTaskExecutor,
            StoreCircuit storeCircuit) {
        return SqsMessageListenerContainerFactory.builder()
                .sqsAsyncClient(sqs)
                .configure(options -> ListenerContainerOptions.configure(
                        options,
                        properties.listener(),
                        listenerTaskExecutor,
                        List.of(container -> storeCircuit.listenerPause())))
                .build();
    }

    /** Start-up stops when the queue's visibility timeout does not hold a batch's retry budget. */
    @Bean
    VisibilityTimeoutCheck visibilityTimeoutCheck(SqsAsyncClient sqs, PersisterProperties properties) {
        return new VisibilityTimeoutCheck(sqs, properties.queue().name(), RetryBudget.of(properties));
    }

    /**
     * As the service stops, after the listener has finished its messages and before the store's client closes: the
     * follow-ups' marks still being written get the store's retry budget to finish.
     */
    @Bean
    DisposableBean followUpMarksOnShutdown(EventPipeline pipeline, PersisterProperties properties) {
        Duration budget = RetryBudget.of(properties).mark();
        return () -> {
            if (!pipeline.finishMarks(budget)) {
                log.warn(
                        "Stopped before every follow-up's mark was written within {}; those items stay PENDING and"
                                + " the sweeper sends their follow-ups again",
                        budget);
            }
        };
    }

    /**
     * The sweeper of the follow-ups left PENDING. Start-up stops when its grace period is shorter than the time the
     * batch's own send of a follow-up and its mark may take: the sweeper would send most follow-ups a second time.
     */
    @Bean
    FollowUpSweeping followUpSweeping(
            PersisterProperties properties,
            FollowUpOutbox outbox,
            FollowUpRules rules,
            FollowUpFactory followUps,
            FollowUpPublisher publisher,
            OutcomeLogAndReadiness outcomeLog,
            StoreCircuit storeCircuit,
            FollowUpTracing tracing,
            PersisterMetrics metrics) {
        Duration grace = sweepGrace(properties);
        Clock clock = Clock.systemUTC();
        FollowUpSweeping sweeping = new FollowUpSweeping(
                new FollowUpSweeper(outbox, rules, followUps, publisher, outcomeLog, tracing, clock),
                outbox,
                storeCircuit::paused,
                properties.followUp().sweepInterval(),
                grace,
                clock);
        metrics.pendingOldest(sweeping::oldestAge);
        return sweeping;
    }

    /**
     * The sweep's grace period, refused when shorter than the batch's retry budget and the mark's together: the
     * sweeper would otherwise send again follow-ups that the batch is still sending or marking.
     */
    static Duration sweepGrace(PersisterProperties properties) {
        RetryBudget budget = RetryBudget.of(properties);
        Duration least = budget.total().plus(budget.mark());
        Duration grace = properties.followUp().sweepGrace();
        if (grace.compareTo(least) < 0) {
            throw new IllegalStateException(
                    ("persister.follow-up.sweep-grace is %d ms, below the %d ms that the batch's"
                                    + " own send of a follow-up and its mark may take (retry budget %s, mark %d ms): raise it,"
                                    + " or lower the store's and follow-ups' max-attempts or call-timeout")
                            .formatted(
                                    grace.toMillis(),
                                    least.toMillis(),
                                    budget,
                                    budget.mark().toMillis()));
        }
        return grace;
    }

    /** What becomes of each message, counted and logged; shared by the pipeline and the sweeper. */
    @Bean
    OutcomeLogAndReadiness outcomeLog(PersisterMetrics metrics, AwsAccessHealthIndicator awsAccess) {
        return new OutcomeLogAndReadiness(metrics, awsAccess);
    }

    @Bean
    SimpleAsyncTaskExecutor listenerTaskExecutor() {
        SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor("sqs-listener-");
        executor.setVirtualThreads(true);
        return executor;
    }

    @Bean
    EventPipeline eventPipeline(
            PersisterProperties properties,
            EventStore store,
            SqsAsyncClient sqs,
            FollowUpRules rules,
            FollowUpFactory followUps,
            FollowUpPublisher publisher,
            FollowUpOutbox outbox,
            OutcomeLogAndReadiness outcomeLog,
            MessageTracing tracing,
            PersisterMetrics metrics) {
        EventParser parser =
                new EventParser(properties.mapping(), properties.listener().maxBodyBytes());
        DeadLetterParking parking =
                new SqsDeadLetterParking(sqs, properties.queue().deadLetterName());
        EventPipeline pipeline = new EventPipeline(
                parser, store, outbox, parking, rules, followUps, publisher, outcomeLog, tracing, Clock.systemUTC());
        metrics.marksQueued(pipeline::marksQueued);
        return pipeline;
    }
}
