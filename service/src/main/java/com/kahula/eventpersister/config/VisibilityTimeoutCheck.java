package com.kahula.eventpersister.config;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.springframework.context.SmartLifecycle;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Refuses to start when the queue's visibility timeout does not hold one batch's retry budget: a message still in
 * progress would become visible and be delivered again, and a short outage would walk healthy messages towards the
 * dead-letter queue. Runs after provisioning (which sets the local queue's timeout) and before the listener polls.
 */
final class VisibilityTimeoutCheck implements SmartLifecycle {

    // Before the listener containers, which start in the last phase.
    private static final int PHASE = Integer.MAX_VALUE - 1000;

    private final SqsAsyncClient sqs;
    private final String queueName;
    private final RetryBudget budget;
    private volatile boolean running;

    VisibilityTimeoutCheck(SqsAsyncClient sqs, String queueName, RetryBudget budget) {
        this.sqs = sqs;
        this.queueName = queueName;
        this.budget = budget;
    }

    @Override
    public void start() {
        require(visibilityTimeout(), queueName, budget);
        running = true;
    }

    /** Throws, naming both numbers and the properties to change, when {@code visibilityTimeout} is too short. */
    static void require(Duration visibilityTimeout, String queueName, RetryBudget budget) {
        Duration least = budget.leastVisibilityTimeout();
        if (visibilityTimeout.compareTo(least) < 0) {
            throw new IllegalStateException(("The queue %s has a visibility timeout of %d s, below the %d s that one"
                            + " batch's retry budget of %s needs with its margin: a batch still in progress would be"
                            + " delivered again. Raise the queue's VisibilityTimeout to at least %d s"
                            + " (persister.provisioning.visibility-timeout locally, the queue's VisibilityTimeout in"
                            + " ecs/event-persister.yml in AWS), or lower persister.store.max-attempts,"
                            + " persister.store.call-timeout, persister.follow-up.max-attempts or"
                            + " persister.follow-up.call-timeout.")
                    .formatted(queueName, visibilityTimeout.toSeconds(), least.toSeconds(), budget, least.toSeconds()));
        }
    }

    private Duration visibilityTimeout() {
        try {
            String url = sqs.getQueueUrl(request -> request.queueName(queueName))
                    .get(30, TimeUnit.SECONDS)
                    .queueUrl();
            String seconds = sqs.getQueueAttributes(
                            request -> request.queueUrl(url).attributeNames(QueueAttributeName.VISIBILITY_TIMEOUT))
                    .get(30, TimeUnit.SECONDS)
                    .attributes()
                    .get(QueueAttributeName.VISIBILITY_TIMEOUT);
            if (seconds == null) {
                throw new IllegalStateException("the queue " + queueName + " did not tell its VisibilityTimeout");
            }
            return Duration.ofSeconds(Long.parseLong(seconds));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted reading the visibility timeout of " + queueName, e);
        } catch (Exception e) {
            throw new IllegalStateException("could not read the visibility timeout of the queue " + queueName, e);
        }
    }

    @Override
    public void stop() {
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
