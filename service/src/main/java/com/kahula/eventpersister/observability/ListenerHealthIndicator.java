package com.kahula.eventpersister.observability;

import io.awspring.cloud.sqs.listener.MessageListenerContainer;
import io.awspring.cloud.sqs.listener.MessageListenerContainerRegistry;
import java.util.Optional;
import java.util.function.Supplier;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/** Ready only while every SQS listener container is running and the listener is not paused, saying why it is. */
public final class ListenerHealthIndicator implements HealthIndicator {

    private final MessageListenerContainerRegistry containers;
    private final Supplier<Optional<String>> pausedBecause;

    public ListenerHealthIndicator(
            MessageListenerContainerRegistry containers, Supplier<Optional<String>> pausedBecause) {
        this.containers = containers;
        this.pausedBecause = pausedBecause;
    }

    @Override
    public Health health() {
        var all = containers.getListenerContainers();
        boolean running = !all.isEmpty() && all.stream().allMatch(MessageListenerContainer::isRunning);
        Optional<String> paused = pausedBecause.get();
        Health.Builder health = running && paused.isEmpty() ? Health.up() : Health.down();
        health.withDetail("containers", all.size());
        paused.ifPresent(cause -> health.withDetail("paused", cause));
        return health.build();
    }
}
