package com.kahula.eventpersister.observability;

import io.awspring.cloud.sqs.listener.MessageListenerContainer;
import io.awspring.cloud.sqs.listener.MessageListenerContainerRegistry;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/** Ready only while every SQS listener container is running. */
public final class ListenerHealthIndicator implements HealthIndicator {

    private final MessageListenerContainerRegistry containers;

    public ListenerHealthIndicator(MessageListenerContainerRegistry containers) {
        this.containers = containers;
    }

    @Override
    public Health health() {
        var all = containers.getListenerContainers();
        boolean running = !all.isEmpty() && all.stream().allMatch(MessageListenerContainer::isRunning);
        return (running ? Health.up() : Health.down())
                .withDetail("containers", all.size())
                .build();
    }
}
