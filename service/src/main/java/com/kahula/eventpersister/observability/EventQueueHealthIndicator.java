package com.kahula.eventpersister.observability;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** Ready only while the queue answers GetQueueAttributes; shows its backlog. */
public final class EventQueueHealthIndicator implements HealthIndicator {

    private final SqsAsyncClient sqs;
    private final String queueName;
    private final Duration timeout;

    public EventQueueHealthIndicator(SqsAsyncClient sqs, String queueName, Duration timeout) {
        this.sqs = sqs;
        this.queueName = queueName;
        this.timeout = timeout;
    }

    @Override
    public Health health() {
        try {
            var attributes = sqs.getQueueUrl(request -> request.queueName(queueName))
                    .thenCompose(url -> sqs.getQueueAttributes(request -> request.queueUrl(url.queueUrl())
                            .attributeNames(
                                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .attributes();
            return Health.up()
                    .withDetail("queue", queueName)
                    .withDetail(
                            "visible", attributes.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "?"))
                    .withDetail(
                            "inFlight",
                            attributes.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE, "?"))
                    .build();
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return Health.down().withDetail("queue", queueName).build();
        } catch (Exception unreachable) {
            return Health.down()
                    .withDetail("queue", queueName)
                    .withDetail("error", unreachable.getClass().getSimpleName())
                    .build();
        }
    }
}
