package com.kahula.eventpersister.config;

import com.kahula.eventpersister.listener.InFlightPermits;
import io.awspring.cloud.sqs.listener.ListenerMode;
import io.awspring.cloud.sqs.listener.QueueNotFoundStrategy;
import io.awspring.cloud.sqs.listener.SqsContainerOptionsBuilder;
import io.awspring.cloud.sqs.listener.acknowledgement.handler.AcknowledgementMode;
import io.awspring.cloud.sqs.listener.backpressure.BackPressureHandlerFactories;
import io.awspring.cloud.sqs.listener.backpressure.BackPressureHandlerFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.core.task.TaskExecutor;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * The SQS listener container's options. Batches of up to ten, acknowledged by hand for exactly the messages that are
 * done (partial batch failure), and immediately: an acknowledgement is never held back in a buffer that a shutdown
 * could lose. The container runs its work on {@code executor} (virtual threads), not on a pool of one platform thread
 * per message in flight. Each poll asks for every message attribute, which the pipeline reads (the restore mark) and a
 * parking keeps on the parked message (the events of the bus's rule carry none, a producer's W3C {@code traceparent}
 * aside), but of the system attributes, which SQS would all send and the container would copy into every message's
 * headers, only the receive count and {@code AWSTraceHeader}, the producer's trace as EventBridge passes it on.
 *
 * <p>Public for the bench's floor on the same container, which runs these options without the store's pause.
 */
public final class ListenerContainerOptions {

    private ListenerContainerOptions() {}

    /**
     * Sets {@code listener}'s options on the container's; {@code first}, the store's pause in the service, comes before
     * the limit on messages in flight ({@link InFlightPermits}) and the container's adaptive throughput, in one
     * composite.
     */
    public static void configure(
            SqsContainerOptionsBuilder options,
            PersisterProperties.Listener listener,
            TaskExecutor executor,
            List<BackPressureHandlerFactory> first) {
        List<BackPressureHandlerFactory> handlers = new ArrayList<>(first);
        // one composite, not a composite nested in another: the container's releases of permits wake the one
        // composite that waits for them. The limit on messages in flight is InFlightPermits, not the container's
        // semaphore, which wakes the waiting poll at each message's permit
        handlers.add(InFlightPermits.factory());
        handlers.add(BackPressureHandlerFactories.throughputBackPressureHandler());
        options.listenerMode(ListenerMode.BATCH)
                .componentsTaskExecutor(executor)
                .acknowledgementMode(AcknowledgementMode.MANUAL)
                .acknowledgementInterval(Duration.ZERO)
                .acknowledgementThreshold(0)
                .messageAttributeNames(List.of("All"))
                .messageSystemAttributeNames(List.of(
                        MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT,
                        MessageSystemAttributeName.AWS_TRACE_HEADER))
                .maxMessagesPerPoll(listener.maxMessagesPerPoll())
                .maxConcurrentMessages(Math.max(listener.maxConcurrentMessages(), listener.maxMessagesPerPoll()))
                .pollTimeout(listener.pollTimeout())
                .listenerShutdownTimeout(listener.shutdownTimeout())
                .acknowledgementShutdownTimeout(listener.shutdownTimeout())
                .queueNotFoundStrategy(QueueNotFoundStrategy.FAIL)
                .backPressureHandlerFactory(BackPressureHandlerFactories.compositeBackPressureHandler(handlers))
                // how long the composite waits when a handler grants nothing (the pause among them) before it asks
                // again: a poll follows within a second of the pause's end
                .maxDelayBetweenPolls(Duration.ofSeconds(1));
    }
}
