package com.kahula.eventpersister.observability;

import com.kahula.eventpersister.event.ParserRejection;
import com.kahula.eventpersister.event.Timestamps;
import com.kahula.eventpersister.followup.FollowUp;
import com.kahula.eventpersister.followup.PublicationListener;
import com.kahula.eventpersister.listener.Outcome;
import com.kahula.eventpersister.observability.FollowUpCounters.FollowUpOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import java.util.stream.Stream;

/** Every metric of the service, named and tagged in this one place; tags take only bounded values. */
public final class PersisterMetrics {

    static final String EVENTS = "persister.events";
    static final String BATCH_SIZE = "persister.batch.size";
    static final String PROCESSING = "persister.event.processing";
    static final String LAG = "persister.event.lag";
    static final String IN_FLIGHT = "persister.messages.in-flight";
    static final String MARKS_QUEUED = "persister.followups.marks.queued";
    static final String PENDING_OLDEST = "persister.followups.pending.oldest";
    static final String PAUSED = "persister.listener.paused";

    private final Counter stored;
    private final Counter duplicate;
    private final Counter conflict;
    private final Counter failed;
    private final Map<String, Counter> parked = new HashMap<>();
    private final DistributionSummary batchSize;
    private final Timer processing;
    private final Timer lag;
    private final MeterRegistry registry;
    private final FollowUpCounters followUps;
    private final AtomicInteger inFlight = new AtomicInteger();

    /**
     * The meters a registry that bills per metric (CloudWatch) takes: this service's and resilience4j's, those the
     * operations guide lists and the alarms read; not the framework's own (JVM, process, system, Tomcat, Logback, HTTP
     * requests).
     */
    public static MeterFilter billedMetersOnly() {
        return MeterFilter.denyUnless(
                id -> id.getName().startsWith("persister.") || id.getName().startsWith("resilience4j."));
    }

    /** No follow-up type known in advance: a type's counters appear with its first follow-up. */
    public PersisterMetrics(MeterRegistry registry) {
        this(registry, List.of());
    }

    /**
     * Registers its meters at once, the follow-up counters of each of {@code followUpTypes} (the types the configured
     * rules emit) included, so that a series exists before its first event; another type's appear with its first one.
     */
    public PersisterMetrics(MeterRegistry registry, Collection<String> followUpTypes) {
        this.registry = registry;
        stored = outcome(registry, "stored");
        duplicate = outcome(registry, "duplicate");
        conflict = outcome(registry, "conflict");
        failed = outcome(registry, "failed");
        // the parser's reasons and the store's refusal; a conflict counts as its own outcome
        Stream.concat(
                        Stream.of(ParserRejection.values()).map(ParserRejection::code),
                        Stream.of(Outcome.StoreRejected.REASON))
                .forEach(reason -> parked.put(
                        reason,
                        Counter.builder(EVENTS)
                                .description("Events by what processing them did")
                                .tag("outcome", "parked")
                                .tag("reason", reason)
                                .register(registry)));
        batchSize = DistributionSummary.builder(BATCH_SIZE)
                .description("Messages received in one poll")
                .register(registry);
        processing = Timer.builder(PROCESSING)
                .description("From a message's arrival in the service to its outcome, follow-up included")
                .publishPercentiles(0.5, 0.99)
                .register(registry);
        lag = Timer.builder(LAG)
                .description("From the event's time to its being stored")
                .publishPercentiles(0.5, 0.99)
                .register(registry);
        Gauge.builder(IN_FLIGHT, inFlight, AtomicInteger::get)
                .description("Messages received and not yet come to their outcome")
                .register(registry);
        followUps = new FollowUpCounters(registry, followUpTypes);
    }

    /** Shows how many EMITTED marks wait to be written or are being written, as {@code queued} tells. */
    public void marksQueued(IntSupplier queued) {
        Gauge.builder(MARKS_QUEUED, queued, IntSupplier::getAsInt)
                .description("EMITTED marks of follow-ups on the bus, waiting to be written or being written")
                .strongReference(true)
                .register(registry);
    }

    /** Shows 1 while the listener takes no messages because the store fails for most writes, as {@code paused} tells. */
    public void listenerPaused(BooleanSupplier paused) {
        Gauge.builder(PAUSED, paused, p -> p.getAsBoolean() ? 1 : 0)
                .description("1 while the listener takes no messages because DynamoDB fails for most writes")
                .strongReference(true)
                .register(registry);
    }

    /**
     * Shows the age in seconds of the oldest follow-up still PENDING in the outbox, 0 when none is, as {@code oldest}
     * tells (it is read from the outbox index now and then, not on each scrape).
     */
    public void pendingOldest(Supplier<Duration> oldest) {
        Gauge.builder(PENDING_OLDEST, oldest, age -> age.get().toMillis() / 1000.0)
                .description("Age of the oldest follow-up still PENDING in the outbox, 0 when none is")
                .baseUnit("seconds")
                .strongReference(true)
                .register(registry);
    }

    public void stored(String eventTimestamp, Instant storedAt) {
        stored.increment();
        lag.record(Duration.between(Timestamps.parse(eventTimestamp), storedAt));
    }

    /** The current time for {@link #processed(long)}. */
    public long startProcessing() {
        return System.nanoTime();
    }

    /** A message came to its outcome, {@code startedNanos} after its batch arrived ({@link #startProcessing()}). */
    public void processed(long startedNanos) {
        processing.record(System.nanoTime() - startedNanos, TimeUnit.NANOSECONDS);
        inFlight.decrementAndGet();
    }

    /** Times the AWS API calls of a client it is added to (overrideConfiguration). */
    public AwsCallMetrics awsCalls() {
        return new AwsCallMetrics(registry);
    }

    public void duplicate() {
        duplicate.increment();
    }

    public void conflict() {
        conflict.increment();
    }

    public void failed() {
        failed.increment();
    }

    /** A message parked for {@code reason}: a parser's code or {@code store-rejected}. */
    public void parked(String reason) {
        // every reason has its counter, registered in the constructor
        Objects.requireNonNull(parked.get(reason)).increment();
    }

    /** A poll returned {@code size} messages, each in flight until {@link #processed(long)}. */
    public void batch(int size) {
        batchSize.record(size);
        inFlight.addAndGet(size);
    }

    /** Counts follow-ups by type (one per configured rule, so bounded) and by what happened to them. */
    public PublicationListener followUpListener() {
        return new PublicationListener() {
            @Override
            public void emitted(FollowUp followUp) {
                followUp(followUp.type(), FollowUpOutcome.EMITTED);
            }

            @Override
            public void retried(FollowUp followUp) {
                followUp(followUp.type(), FollowUpOutcome.RETRIED);
            }

            @Override
            public void failed(FollowUp followUp) {
                followUp(followUp.type(), FollowUpOutcome.FAILED);
            }
        };
    }

    /** A follow-up on the bus whose EMITTED mark could not be written: its item stays PENDING. */
    public void unmarked(String type) {
        followUp(type, FollowUpOutcome.UNMARKED);
    }

    /** A follow-up the bus refused for its content, recorded as REJECTED on its item. */
    public void busRejectedFollowUp(String type) {
        followUp(type, FollowUpOutcome.BUS_REJECTED);
    }

    /** A follow-up the bus accepted after another send had already marked it: an extra send. */
    public void sentAgain(String type) {
        followUp(type, FollowUpOutcome.SENT_AGAIN);
    }

    private void followUp(String type, FollowUpOutcome outcome) {
        followUps.count(type, outcome);
    }

    private static Counter outcome(MeterRegistry registry, String outcome) {
        return Counter.builder(EVENTS)
                .description("Events by what processing them did")
                .tag("outcome", outcome)
                .tag("reason", "none")
                .register(registry);
    }
}
