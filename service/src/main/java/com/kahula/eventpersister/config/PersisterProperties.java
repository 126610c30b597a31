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
import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Every setting of the service, under {@code persister.*}, validated at start-up so that a bad value stops the
 * service with a message naming the property. A property's {@code @param} is its description in the configuration
 * metadata, which IDEs show.
 *
 * @param env Name of the environment, such as dev or prod: the default names of the table, queues and bus include it,
 *     and every metric carries it as its env tag.
 * @param table The DynamoDB table the events are stored in.
 * @param queue The SQS queue the service listens to and its dead-letter queue.
 * @param bus The EventBridge bus the events come from.
 * @param mapping Where the producer's fields live inside an event's detail, as JSON Pointers.
 * @param listener How the queue is polled and drained.
 * @param store Timeouts, retries and circuit breaker of the DynamoDB writes.
 * @param followUp Follow-up events: the rules, their publishing and the sweeper.
 * @param provisioning Creation of the AWS resources at start-up, for local runs.
 * @param tracing The service's spans and the trace context it carries from each message to its follow-ups and item.
 * @param aws The AWS clients' network I/O.
 */
@Validated
@ConfigurationProperties("persister")
public record PersisterProperties(
        @NotBlank String env,
        @Valid @NotNull Table table,
        @Valid @NotNull Queue queue,
        @Valid @NotNull Bus bus,
        @NotNull @NestedConfigurationProperty EventMapping mapping,
        @Valid @NotNull @DefaultValue Listener listener,
        @Valid @NotNull @DefaultValue Store store,
        @Valid @NotNull @DefaultValue FollowUps followUp,
        @Valid @NotNull @DefaultValue Provisioning provisioning,
        @Valid @NotNull @DefaultValue Tracing tracing,
        @Valid @NotNull @DefaultValue Aws aws) {

    /**
     * The DynamoDB table the events are stored in.
     *
     * @param name Name of the DynamoDB table that holds the stored events and their follow-ups' state.
     */
    public record Table(@NotBlank String name) {}

    /**
     * The SQS queue the bus rule feeds, and the dead-letter queue that keeps what cannot be processed.
     *
     * @param name Name of the SQS queue the bus rule feeds and the listener polls.
     * @param deadLetterName Name of the dead-letter queue: parked messages are sent to it, and the queue's redrive
     *     policy moves a message there that was received too often.
     */
    public record Queue(@NotBlank String name, @NotBlank String deadLetterName) {}

    /**
     * The EventBridge bus the events come from.
     *
     * @param name Name of the EventBridge bus the events come from and the follow-up events are published to.
     */
    public record Bus(@NotBlank String name) {}

    /**
     * How the queue is polled, how much a message may weigh, and how long a shutdown waits for the messages in flight.
     *
     * @param maxMessagesPerPoll Most messages one receive call asks for, 1 to 10 (SQS's limit).
     * @param maxConcurrentMessages Most messages in flight at once, across polls (never fewer than one poll's); it
     *     also sizes the DynamoDB client's connection pool.
     * @param pollTimeout How long one receive call waits for messages (long polling), 1s to 20s.
     * @param maxBodyBytes Largest message body accepted, in bytes of UTF-8; a larger one is parked as too-large.
     * @param shutdownTimeout How long a shutdown waits for the messages in flight and their acknowledgements; keep it
     *     below spring.lifecycle.timeout-per-shutdown-phase and the ECS task's stopTimeout.
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
     * Timeouts and the retry budget of the DynamoDB calls; the share of failed write attempts at which the listener
     * stops taking messages, and how often it then probes the table to resume.
     *
     * @param callTimeout Timeout of one DynamoDB call attempt; the health checks of the table and the queue use it
     *     too.
     * @param maxAttempts Attempts of a write, the first included, when it fails with throttling, a 5xx or a timeout.
     * @param initialBackoff Wait before a write's second attempt, doubling before each next one up to max-backoff,
     *     with jitter.
     * @param maxBackoff Longest wait between two attempts of a write, before jitter.
     * @param pauseFailureRate Percentage of failed write attempts, over the circuit breaker's window of recent
     *     attempts, at which the store's circuit opens and the listener stops polling.
     * @param probeInterval While the listener is paused, how often one probe write asks the table whether it takes
     *     writes again.
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
     *
     * @param source Source the follow-up events are published with; an event that comes from it triggers no rule.
     * @param rules Ordered follow-up rules, each a name, an EventBridge event pattern over the envelope and the
     *     detail-type to emit; the first that matches decides, and an empty list emits nothing.
     * @param maxEntryBytes Size in bytes above which a follow-up event is published without the cause's payload, at
     *     most PutEvents' entry limit.
     * @param callTimeout Timeout of one PutEvents call attempt.
     * @param maxAttempts Attempts of a PutEvents call, the first included, on throttling, a 5xx, a timeout or entries
     *     not accepted.
     * @param initialBackoff Wait before a PutEvents call's second attempt, doubling before each next one up to
     *     max-backoff, with jitter.
     * @param maxBackoff Longest wait between two attempts of a PutEvents call, before jitter.
     * @param circuitBreakerFailureRate Percentage of PutEvents calls failed for an outage, over the circuit breaker's
     *     window of recent calls, at which the circuit opens and refuses calls.
     * @param circuitBreakerOpenFor How long the open circuit refuses PutEvents calls before it lets trial calls
     *     through.
     * @param sweepInterval How often the sweeper looks for follow-ups still PENDING and sends them.
     * @param sweepGrace How old a PENDING follow-up must be before the sweeper sends it; start-up refuses a value
     *     below the time the batch's own send and mark may take.
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
     *
     * @param enabled Whether start-up creates the queue, dead-letter queue, table, bus and rule that are missing; for
     *     LocalStack and the embedded stack, never in production.
     * @param maxReceiveCount Deliveries of a message after which the provisioned queue's redrive policy moves it to the
     *     dead-letter queue.
     * @param visibilityTimeout Visibility timeout of the provisioned queue; it must hold one batch's retry budget with
     *     its margin, which start-up checks on the queue in use.
     * @param rulePattern Event pattern of the provisioned bus rule that feeds the queue; the default matches every
     *     event.
     */
    public record Provisioning(
            @DefaultValue("false") boolean enabled,
            @DefaultValue("5") @Min(1) @Max(1000) int maxReceiveCount,

            @DefaultValue("60s") @NotNull @DurationMin(seconds = 1)
            Duration visibilityTimeout,

            @DefaultValue("{\"source\":[{\"prefix\":\"\"}]}") @NotBlank
            String rulePattern) {}

    /**
     * The service's spans and the trace context it carries (management.tracing.* sets sampling and export).
     *
     * @param enabled Whether each message gets its spans and its trace context goes on to its follow-ups and into its
     *     stored item (trace_id, trace_parent); when false, none of that is made, read or written.
     */
    public record Tracing(@DefaultValue("true") boolean enabled) {}

    /**
     * The AWS clients' network I/O.
     *
     * @param ioThreads Threads of the one Netty event loop on which the SQS, DynamoDB, EventBridge and CloudWatch
     *     clients read and write their connections, 1 to 64.
     */
    public record Aws(@DefaultValue("1") @Min(1) @Max(64) int ioThreads) {}
}
