package com.kahula.eventpersister.config;

import com.kahula.eventpersister.event.EventMapping;
import com.kahula.eventpersister.followup.FollowUpRule;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Every setting of the service, under {@code persister.*}, validated at start-up so that a bad value stops the
 * service with a message naming the property.
 */
@Validated
@ConfigurationProperties("persister")
public record PersisterProperties(
        @NotBlank String env,
        @Valid @NotNull Table table,
        @Valid @NotNull Queue queue,
        @Valid @NotNull Bus bus,
        @NotNull EventMapping mapping,
        @Valid @NotNull @DefaultValue Listener listener,
        @Valid @NotNull @DefaultValue Store store,
        @Valid @NotNull @DefaultValue FollowUps followUp,
        @Valid @NotNull @DefaultValue Provisioning provisioning) {

    /** The DynamoDB table the events are stored in. */
    public record Table(@NotBlank String name) {}

    /** The SQS queue the bus rule feeds, and the dead-letter queue that keeps what cannot be processed. */
    public record Queue(@NotBlank String name, @NotBlank String deadLetterName) {}

    /** The EventBridge bus the events come from. */
    public record Bus(@NotBlank String name) {}

    /**
     * How the queue is polled, how much a message may weigh, and how long a shutdown waits for the messages in flight
     * (keep it below {@code spring.lifecycle.timeout-per-shutdown-phase} and ECS's stopTimeout).
     */
    public record Listener(
            @DefaultValue("10") @Min(1) @Max(10) int maxMessagesPerPoll,
            @DefaultValue("100") @Min(1) @Max(1000) int maxConcurrentMessages,

            @DefaultValue("20s") @NotNull @DurationMin(seconds = 1) @DurationMax(seconds = 20)
            Duration pollTimeout,

            @DefaultValue("262144") @Min(1024) @Max(1048576) int maxBodyBytes,

            @DefaultValue("25s") @NotNull @DurationMin(seconds = 1)
            Duration shutdownTimeout) {}

    /**
     * Timeouts and the retry budget of the DynamoDB calls; the share of failed write attempts (of the last 20) at
     * which the listener stops taking messages, and how often it then probes the table to resume.
     */
    public record Store(
            @DefaultValue("2s") @NotNull @DurationMin(millis = 1)
            Duration callTimeout,

            @DefaultValue("5") @Min(1) @Max(20) int maxAttempts,

            @DefaultValue("100ms") @NotNull @DurationMin(millis = 1)
            Duration initialBackoff,

            @DefaultValue("2s") @NotNull @DurationMin(millis = 1)
            Duration maxBackoff,

            @DefaultValue("50") @Min(1) @Max(100) int pauseFailureRate,

            @DefaultValue("5s") @NotNull @DurationMin(millis = 100)
            Duration probeInterval) {}

    /**
     * Follow-up events: the ordered rules (first match wins), the source they are published with, the retry budget and
     * circuit breaker of the PutEvents calls, and the sweeper that sends what is still PENDING after {@code
     * sweepGrace}, every {@code sweepInterval}.
     */
    public record FollowUps(
            @DefaultValue("kahula.event-persister") @NotBlank
            String source,

            @NotNull @DefaultValue List<@NotNull FollowUpRule> rules,
            @DefaultValue("262144") @Min(1024) @Max(262144) int maxEntryBytes,

            @DefaultValue("2s") @NotNull @DurationMin(millis = 1)
            Duration callTimeout,

            @DefaultValue("6") @Min(1) @Max(20) int maxAttempts,

            @DefaultValue("200ms") @NotNull @DurationMin(millis = 1)
            Duration initialBackoff,

            @DefaultValue("5s") @NotNull @DurationMin(millis = 1)
            Duration maxBackoff,

            @DefaultValue("50") @Min(1) @Max(100) int circuitBreakerFailureRate,

            @DefaultValue("10s") @NotNull @DurationMin(millis = 1)
            Duration circuitBreakerOpenFor,

            @DefaultValue("15s") @NotNull @DurationMin(millis = 100)
            Duration sweepInterval,

            @DefaultValue("2m") @NotNull @DurationMin(seconds = 1)
            Duration sweepGrace) {}

    /**
     * Creation of the queue, dead-letter queue, table, bus and rule at start-up: for LocalStack and the embedded stack,
     * never in production, where ecs/ provisions them.
     */
    public record Provisioning(
            @DefaultValue("false") boolean enabled,
            @DefaultValue("5") @Min(1) @Max(1000) int maxReceiveCount,

            // Holds the default retry budget of one batch (RetryBudget: 33.55 s, 41 s with its margin).
            @DefaultValue("60s") @NotNull @DurationMin(seconds = 1)
            Duration visibilityTimeout,

            @DefaultValue("{\"source\":[{\"prefix\":\"\"}]}") @NotBlank
            String rulePattern) {}
}
