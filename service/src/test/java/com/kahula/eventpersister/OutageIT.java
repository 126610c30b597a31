package com.kahula.eventpersister;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.kahula.embeddedaws.BusEvent;
import com.kahula.embeddedaws.EmbeddedAwsStack;
import com.kahula.eventpersister.support.AwsFixture;
import com.kahula.eventpersister.support.EventOracle;
import com.kahula.eventpersister.support.RunningService;
import com.kahula.eventpersister.support.SampleEvents;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Outages longer than the queue's visibility timeout times its maxReceiveCount, scaled down (visibility 6 s,
 * maxReceiveCount 3, the e2e profile's call timeouts), while messages arrive at a steady rate as real traffic does, so
 * that every message left unfinished is received again as soon as it is visible: nothing ends in the dead-letter queue,
 * everything ends in the table.
 */
class OutageIT {

    private static final EmbeddedAwsStack STACK = EmbeddedAwsStack.shared();
    private static final int MESSAGES = 2000;
    private static final Duration OUTAGE = Duration.ofSeconds(60);
    private static final String[] SCALED_DOWN_QUEUE = {
        "--persister.provisioning.visibility-timeout=6s", "--persister.provisioning.max-receive-count=3"
    };
    private static final String UPDATED = "com.kahula.catalog.ProductUpdatedEvent";
    private static final String PLAIN = "com.kahula.pricing.PriceChangedEvent";

    private final List<RunningService> services = new ArrayList<>();
    // The test's own threads: the common fork-join pool has one thread on two cores, and the service shares it.
    private final ScheduledExecutorService background = Executors.newScheduledThreadPool(2);

    @AfterEach
    void restoreTheStack() {
        background.shutdownNow();
        STACK.resumeDynamoDb();
        STACK.eventBridge().clearFaults();
        services.forEach(RunningService::close);
    }

    /** One sample of what the service and the queue showed at a moment of the outage. */
    private record Sample(long atNanos, RunningService.Readiness readiness, double pausedGauge, long delivered) {}

    @Test
    void pausesTheListenerWhileTheStoreIsFrozenAndStoresEveryEventOnceAfterItThaws() throws Exception {
        AwsFixture aws = new AwsFixture(STACK, "e2e-store-outage");
        RunningService service = start("e2e-store-outage", SCALED_DOWN_QUEUE);
        await().atMost(Duration.ofSeconds(30)).until(() -> service.readiness().up());
        STACK.recordDeliveries(aws.queueName());
        List<String> bodies = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < MESSAGES; i++) {
            ObjectNode detail = SampleEvents.detail("pricing");
            ids.add(detail.get("id").asText());
            bodies.add(SampleEvents.envelope(PLAIN, detail));
        }

        CompletableFuture<List<String>> sending = sendSteadily(aws, bodies, OUTAGE);
        await().atMost(Duration.ofSeconds(10)).until(() -> aws.rowCount() >= 20);
        STACK.pauseDynamoDb();
        long frozenAt = System.nanoTime();
        List<Sample> sampling = sample(
                () -> new Sample(
                        System.nanoTime(),
                        service.readiness(),
                        service.gauge("persister.listener.paused"),
                        STACK.delivered()),
                Duration.ofMillis(500));
        await().atMost(OUTAGE.plusSeconds(5)).until(() -> System.nanoTime() - frozenAt >= OUTAGE.toNanos());
        List<Sample> samples = List.copyOf(sampling);
        STACK.resumeDynamoDb();
        List<String> messageIds = sending.get(30, TimeUnit.SECONDS);

        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> aws.rowCount() == MESSAGES && aws.messagesInFlight() == 0);

        assertThat(aws.deadLetters()).as("dead-lettered").isEmpty();
        assertThat(ids).allSatisfy(id -> assertThat(aws.row(id)).as(id).isPresent());
        assertThat(aws.rowCount()).as("one row per event").isEqualTo(MESSAGES);
        assertThat(aws.drainQueue()).as("left in the queue").isEmpty();

        List<Sample> paused =
                samples.stream().filter(sample -> sample.pausedGauge() == 1).toList();
        assertThat(paused).as("samples showing the listener paused").hasSizeGreaterThan(60);
        assertThat(paused)
                .allSatisfy(sample -> assertThat(sample.readiness())
                        .satisfies(readiness -> assertThat(readiness.up()).isFalse())
                        .extracting(RunningService.Readiness::body)
                        .asString()
                        .contains("DynamoDB failed"));
        // A receive already waiting when the pause began may still answer; nothing is received after it.
        long pausedFrom = paused.getFirst().atNanos() + Duration.ofSeconds(3).toNanos();
        List<Sample> settled =
                paused.stream().filter(sample -> sample.atNanos() >= pausedFrom).toList();
        assertThat(settled).hasSizeGreaterThan(40);
        assertThat(settled.getLast().delivered())
                .as("messages received while the listener was paused")
                .isEqualTo(settled.getFirst().delivered());

        Map<String, Integer> deliveries = STACK.deliveries();
        assertThat(deliveries.values())
                .as("receives of each message")
                .allSatisfy(count -> assertThat(count).isLessThanOrEqualTo(2));
        assertThat(messageIds.subList(MESSAGES / 2, MESSAGES))
                .as("messages sent during the pause were received once, after it")
                .allSatisfy(id -> assertThat(deliveries.get(id)).isEqualTo(1));
        await().atMost(Duration.ofSeconds(10)).until(() -> service.readiness().up());
        assertThat(service.gauge("persister.listener.paused")).isZero();
    }

    @Test
    void acknowledgesStoredEventsWhileTheBusIsDownAndSendsTheirFollowUpsFromTheOutboxWhenItIsBack() throws Exception {
        AwsFixture aws = new AwsFixture(STACK, "e2e-bus-outage");
        RunningService service = start("e2e-bus-outage", SCALED_DOWN_QUEUE);
        await().atMost(Duration.ofSeconds(30)).until(() -> service.readiness().up());
        List<String> bodies = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        List<String> withFollowUps = new ArrayList<>();
        for (int i = 0; i < MESSAGES; i++) {
            ObjectNode detail = SampleEvents.detail("catalog");
            String id = detail.get("id").asText();
            ids.add(id);
            boolean matches = i % 5 == 0;
            if (matches) {
                withFollowUps.add(id);
            }
            bodies.add(SampleEvents.envelope(matches ? UPDATED : PLAIN, detail));
        }

        STACK.eventBridge().down(true);
        long downAt = System.nanoTime();
        CompletableFuture<List<String>> sending = sendSteadily(aws, bodies, OUTAGE.minusSeconds(12));
        List<Double> oldestSampled =
                sample(() -> service.gauge("persister.followups.pending.oldest"), Duration.ofSeconds(1));
        sending.get(OUTAGE.toSeconds(), TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> ids.stream().allMatch(id -> aws.row(id).isPresent()));
        List<String> storedDuringTheOutage =
                ids.stream().filter(id -> aws.row(id).isPresent()).toList();
        await().atMost(OUTAGE).until(() -> System.nanoTime() - downAt >= OUTAGE.toNanos());
        List<Double> oldestDuringTheOutage = List.copyOf(oldestSampled);
        STACK.eventBridge().down(false);
        long backAt = System.nanoTime();

        assertThat(storedDuringTheOutage).as("events stored during the outage").hasSize(MESSAGES);
        assertThat(withFollowUps)
                .allSatisfy(id -> assertThat(aws.followUpsOf(id))
                        .as("follow-ups on the bus during the outage")
                        .isEmpty());
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(withFollowUps)
                        .allSatisfy(id -> assertThat(aws.row(EventOracle.followUpId(id, "ValidatableEvent")))
                                .as("the follow-up row of %s", id)
                                .isPresent()));
        Duration tookAfterTheBusWasBack = Duration.ofNanos(System.nanoTime() - backAt);

        assertThat(tookAfterTheBusWasBack).isLessThanOrEqualTo(Duration.ofSeconds(30));
        assertThat(aws.deadLetters()).as("dead-lettered").isEmpty();
        assertThat(withFollowUps)
                .allSatisfy(id -> assertThat(aws.column(id, "follow_up_status")).isEqualTo("EMITTED"));
        assertThat(Collections.max(oldestDuringTheOutage))
                .as("the oldest pending follow-up's age during the outage, seconds")
                .isGreaterThan(30);
        await().atMost(Duration.ofSeconds(30)).until(() -> service.gauge("persister.followups.pending.oldest") == 0);
    }

    @Test
    void twoServiceProcessesSweepingTheSameFollowUpsStoreEachOnceAndCountTheirExtraSends() throws Exception {
        String env = "e2e-two-sweepers";
        AwsFixture aws = new AwsFixture(STACK, env);
        List<String> ids = new ArrayList<>();
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            ObjectNode detail = SampleEvents.detail("catalog");
            ids.add(detail.get("id").asText());
            bodies.add(SampleEvents.envelope(UPDATED, detail));
        }
        STACK.eventBridge().down(true);
        try (RunningService first = RunningService.start(STACK, env)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> first.readiness().up());
            aws.sendAllToQueue(bodies);
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> ids.stream().allMatch(id -> "PENDING".equals(aws.column(id, "follow_up_status"))));
        }
        STACK.eventBridge().down(false);

        RunningService one = startProcess(env);
        RunningService other = startProcess(env);
        await().atMost(Duration.ofSeconds(90))
                .until(() -> one.readiness().up() && other.readiness().up());

        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertThat(ids)
                        .allSatisfy(id -> assertThat(aws.row(EventOracle.followUpId(id, "ValidatableEvent")))
                                .isPresent()));
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(ids)
                        .allSatisfy(id ->
                                assertThat(aws.column(id, "follow_up_status")).isEqualTo("EMITTED")));

        // the last passes' sends and marks settle: nothing counted changes over a few sweep intervals
        AtomicReference<Double> lastCount = new AtomicReference<>(-1.0);
        await().pollInterval(Duration.ofSeconds(3))
                .atMost(Duration.ofSeconds(30))
                .until(() -> {
                    double now = Stream.of(one, other)
                            .mapToDouble(service -> service.counter("persister.followups", "outcome", "emitted")
                                    + service.counter("persister.followups", "outcome", "sent-again"))
                            .sum();
                    return lastCount.getAndSet(now) == now;
                });
        Set<String> idSet = new HashSet<>(ids);
        long sends = aws.busEvents().stream()
                .filter(event ->
                        idSet.contains(event.detail().path("causationId").asText()))
                .map(BusEvent::detailType)
                .count();
        double sentAgain = one.counter("persister.followups", "outcome", "sent-again")
                + other.counter("persister.followups", "outcome", "sent-again");
        double unmarked = one.counter("persister.followups", "outcome", "unmarked")
                + other.counter("persister.followups", "outcome", "unmarked");
        // what the services heard the bus accept; an acceptance whose answer timed out is on the bus all the same
        double heard = one.counter("persister.followups", "outcome", "emitted")
                + other.counter("persister.followups", "outcome", "emitted");
        // a mark retried after its first attempt landed unanswered finds the item marked, and counts as well
        double marksRetried = one.counter("resilience4j.retry.calls", "kind", "successful_with_retry")
                + other.counter("resilience4j.retry.calls", "kind", "successful_with_retry");
        assertThat((double) sends).as("follow-ups the bus accepted").isGreaterThanOrEqualTo(heard);
        assertThat(heard).as("acceptances heard").isGreaterThanOrEqualTo(ids.size());
        assertThat(unmarked).isZero();
        double extraHeard = heard - ids.size();
        assertThat(sentAgain)
                .as("every extra send heard accepted counted")
                .isBetween(extraHeard, extraHeard + marksRetried);
        assertThat(aws.deadLetters()).as("parked, conflicts included").isEmpty();
    }

    private RunningService start(String env, String... settings) {
        RunningService service = RunningService.start(STACK, env, settings);
        services.add(service);
        return service;
    }

    private RunningService startProcess(String env) throws IOException {
        RunningService service =
                RunningService.startProcess(STACK, env, Files.createTempFile("event-persister-" + env, ".log"));
        services.add(service);
        return service;
    }

    /**
     * Sends {@code bodies} to the queue in batches of ten at a steady rate over {@code over}, on a thread of the test's
     * own; completes with the message id of each body, in their order.
     */
    private CompletableFuture<List<String>> sendSteadily(AwsFixture aws, List<String> bodies, Duration over) {
        int batches = (bodies.size() + 9) / 10;
        List<List<String>> sent = new CopyOnWriteArrayList<>();
        CompletableFuture<List<String>> done = new CompletableFuture<>();
        AtomicInteger next = new AtomicInteger();
        var task = background.scheduleAtFixedRate(
                () -> {
                    int batch = next.getAndIncrement();
                    if (batch >= batches || done.isDone()) {
                        return;
                    }
                    try {
                        sent.add(aws.sendAllToQueueReturningIds(
                                bodies.subList(batch * 10, Math.min(batch * 10 + 10, bodies.size()))));
                    } catch (RuntimeException | AssertionError failure) {
                        done.completeExceptionally(failure);
                    }
                    if (batch == batches - 1) {
                        done.complete(sent.stream().flatMap(List::stream).toList());
                    }
                },
                0,
                over.toNanos() / batches,
                TimeUnit.NANOSECONDS);
        return done.whenComplete((ids, failure) -> task.cancel(false));
    }

    /** What {@code probe} answers every {@code interval} from now on, on a thread of the test's own. */
    private <T> List<T> sample(Supplier<T> probe, Duration interval) {
        List<T> samples = new CopyOnWriteArrayList<>();
        background.scheduleAtFixedRate(() -> samples.add(probe.get()), 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        return samples;
    }
}
