package com.kahula.eventpersister.listener;

import static org.assertj.core.api.Assertions.assertThat;

import com.kahula.eventpersister.aws.AwsErrors;
import com.kahula.eventpersister.event.StoredEvent;
import com.kahula.eventpersister.followup.FollowUp;
import com.kahula.eventpersister.followup.FollowUpFactory;
import com.kahula.eventpersister.followup.FollowUpPublisher;
import com.kahula.eventpersister.followup.FollowUpRule;
import com.kahula.eventpersister.followup.FollowUpRules;
import com.kahula.eventpersister.followup.Publication;
import com.kahula.eventpersister.store.FollowUpMark;
import com.kahula.eventpersister.store.FollowUpOutbox;
import com.kahula.eventpersister.support.EventOracle;
import com.kahula.eventpersister.support.SampleEvents;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * The sweeper on in-memory fakes of its ports: an outbox that answers as the sparse index and the conditional marks
 * do, a bus that takes, refuses or misses what the test says. Follow-up ids come from {@link EventOracle}.
 */
class FollowUpSweeperTests {

    private static final Instant NOW = Instant.parse("2026-11-30T10:00:00Z");
    private static final Instant CUTOFF = NOW.minus(Duration.ofMinutes(2));
    private static final String TYPE = "ValidatableEvent";

    private final FakeOutbox outbox = new FakeOutbox();
    private final FakeBus bus = new FakeBus();
    private final RecordingListener listener = new RecordingListener();
    private final FollowUpSweeper sweeper = new FollowUpSweeper(
            outbox,
            new FollowUpRules(
                    List.of(new FollowUpRule(
                            "updated-to-validatable", "{\"detail-type\":[{\"suffix\":\"UpdatedEvent\"}]}", TYPE)),
                    "kahula.event-persister"),
            new FollowUpFactory("kahula.event-persister", 262_144),
            bus,
            listener,
            FollowUpTracing.NONE,
            Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void sendsEveryFollowUpPendingSinceBeforeTheCutoffInEveryShardAndMarksItEmitted() {
        for (int shard = 0; shard < 16; shard++) {
            for (int i = 0; i < 3; i++) {
                outbox.pending("old-" + shard + "-" + i, shard, CUTOFF.minusSeconds(10 + i));
            }
            outbox.pending("new-" + shard, shard, CUTOFF.plusMillis(1));
        }

        FollowUpSweeper.Pass pass = sweeper.sweep(CUTOFF);

        assertThat(pass).isEqualTo(new FollowUpSweeper.Pass(48, 48, 0, 0, false));
        assertThat(bus.sentIds()).hasSize(48).doesNotHaveDuplicates();
        assertThat(outbox.ids("EMITTED")).hasSize(48).allMatch(id -> id.startsWith("old-"));
        assertThat(outbox.ids("PENDING")).hasSize(16).allMatch(id -> id.startsWith("new-"));
        assertThat(outbox.emittedAt).containsOnlyKeys(outbox.ids("EMITTED")).containsValues(NOW);
    }

    @Test
    void sendsEachFollowUpUnderItsDeterministicIdWithTheRuleThatEmitsItsType() {
        outbox.pending("e-1", 3, CUTOFF.minusSeconds(1));

        sweeper.sweep(CUTOFF);

        assertThat(bus.sent).singleElement().satisfies(followUp -> {
            assertThat(followUp.id()).isEqualTo(EventOracle.followUpId("e-1", TYPE));
            assertThat(followUp.type()).isEqualTo(TYPE);
            assertThat(followUp.causationId()).isEqualTo("e-1");
            assertThat(followUp.ruleName()).isEqualTo("updated-to-validatable");
            assertThat(followUp.detail()).contains("\"timestamp\":\"2026-11-30T10:00:00.000Z\"");
        });
    }

    @Test
    void readsAShardPageByPageOldestFirstAndSendsAPageAtATime() {
        for (int i = 0; i < 250; i++) {
            outbox.pending("e-%03d".formatted(i), 7, CUTOFF.minusSeconds(1000 - i));
        }

        FollowUpSweeper.Pass pass = sweeper.sweep(CUTOFF);

        assertThat(pass.found()).isEqualTo(250);
        assertThat(bus.batchSizes).containsExactly(100, 100, 50);
        assertThat(bus.sent).extracting(FollowUp::causationId).isSortedAccordingTo(Comparator.naturalOrder());
        assertThat(outbox.queries)
                .filteredOn(query -> query.shard() == 7)
                .extracting(Query::limit)
                .containsOnly(FollowUpSweeper.PAGE);
        assertThat(outbox.queries).filteredOn(query -> query.shard() == 7).hasSize(3);
        assertThat(outbox.ids("PENDING")).isEmpty();
    }

    @Test
    void everyPassReadsEachShardOnceFromARandomFirstShardSoThatEveryShardComesFirstInSomePass() {
        Set<Integer> firstShards = new TreeSet<>();
        for (int pass = 0; pass < 400; pass++) {
            outbox.queries.clear();

            sweeper.sweep(CUTOFF);

            List<Integer> shards = outbox.queries.stream().map(Query::shard).toList();
            assertThat(shards).as("pass %d", pass).hasSize(16).doesNotHaveDuplicates();
            int first = shards.getFirst();
            assertThat(shards)
                    .as("in order from the first, pass %d", pass)
                    .isEqualTo(IntStream.range(0, 16)
                            .map(i -> (first + i) % 16)
                            .boxed()
                            .toList());
            firstShards.add(first);
        }

        // 400 passes miss one of 16 first shards with a probability below 16 x (15/16)^400, about 1e-10
        assertThat(firstShards)
                .containsExactlyElementsOf(IntStream.range(0, 16).boxed().toList());
    }

    @Test
    void recordsWhatTheBusRefusesForItsContentAsRejectedWithItsWordsAndCountsIt() {
        outbox.pending("e-1", 0, CUTOFF.minusSeconds(2));
        outbox.pending("e-2", 0, CUTOFF.minusSeconds(1));
        bus.refusing.put(EventOracle.followUpId("e-2", TYPE), "MalformedDetail: Detail is malformed.");

        FollowUpSweeper.Pass pass = sweeper.sweep(CUTOFF);

        assertThat(pass).isEqualTo(new FollowUpSweeper.Pass(2, 1, 1, 0, false));
        assertThat(outbox.ids("EMITTED")).containsExactly("e-1");
        assertThat(outbox.ids("REJECTED")).containsExactly("e-2");
        assertThat(outbox.busWords).containsExactly(Map.entry("e-2", "MalformedDetail: Detail is malformed."));
        assertThat(listener.rejected).containsExactly(EventOracle.followUpId("e-2", TYPE));
    }

    @Test
    void countsAnExtraSendWhenAnotherSenderHadMarkedTheFollowUpFirst() {
        outbox.pending("e-1", 0, CUTOFF.minusSeconds(2));
        outbox.pending("e-2", 0, CUTOFF.minusSeconds(1));
        outbox.markedMeanwhile.add("e-2");

        FollowUpSweeper.Pass pass = sweeper.sweep(CUTOFF);

        assertThat(pass.accepted()).isEqualTo(2);
        assertThat(listener.sentAgain).containsExactly(EventOracle.followUpId("e-2", TYPE));
        assertThat(listener.rejected).isEmpty();
    }

    @Test
    void aRefusalOfAFollowUpAnotherSenderHadAlreadyMarkedIsNotCountedAsRejected() {
        outbox.pending("e-1", 0, CUTOFF.minusSeconds(1));
        outbox.markedMeanwhile.add("e-1");
        bus.refusing.put(EventOracle.followUpId("e-1", TYPE), "MalformedDetail: Detail is malformed.");

        sweeper.sweep(CUTOFF);

        assertThat(listener.rejected).isEmpty();
    }

    @Test
    void aMarkThatCannotBeWrittenIsReportedAndTheFollowUpStaysPendingForTheNextPass() {
        outbox.pending("e-1", 0, CUTOFF.minusSeconds(1));
        outbox.failingMarks = true;

        FollowUpSweeper.Pass pass = sweeper.sweep(CUTOFF);

        assertThat(pass.accepted()).isEqualTo(1);
        assertThat(listener.unmarked).containsExactly(EventOracle.followUpId("e-1", TYPE));
        assertThat(outbox.ids("PENDING")).containsExactly("e-1");
    }

    @Test
    void stopsAtTheFirstPageOfWhichTheBusTookNothing() {
        for (int shard = 0; shard < 16; shard++) {
            outbox.pending("e-" + shard, shard, CUTOFF.minusSeconds(1));
        }
        bus.down = true;

        FollowUpSweeper.Pass pass = sweeper.sweep(CUTOFF);

        assertThat(pass).isEqualTo(new FollowUpSweeper.Pass(1, 0, 0, 1, true));
        assertThat(bus.batchSizes).containsExactly(1);
        assertThat(outbox.queries).hasSize(1);
        assertThat(outbox.ids("PENDING")).hasSize(16);
    }

    @Test
    void goesOnWhileTheBusTakesPartOfAPage() {
        outbox.pending("e-1", 0, CUTOFF.minusSeconds(2));
        outbox.pending("e-2", 0, CUTOFF.minusSeconds(1));
        outbox.pending("e-3", 1, CUTOFF.minusSeconds(1));
        bus.missing.add(EventOracle.followUpId("e-1", TYPE));

        FollowUpSweeper.Pass pass = sweeper.sweep(CUTOFF);

        assertThat(pass).isEqualTo(new FollowUpSweeper.Pass(3, 2, 0, 1, false));
        assertThat(outbox.ids("PENDING")).containsExactly("e-1");
        assertThat(outbox.queries).hasSize(16);
        assertThat(listener.notSent)
                .as("reported with its cause, which readiness and the log classify")
                .containsExactly(EventOracle.followUpId("e-1", TYPE) + ": bus is down");
    }

    @Test
    void listsThePendingFollowUpsPageByPageWithoutSendingOrMarking() {
        for (int i = 0; i < 150; i++) {
            outbox.pending("e-%03d".formatted(i), i % 2, CUTOFF.minusSeconds(200 - i));
        }
        outbox.pending("young", 0, CUTOFF);
        List<Integer> pages = new ArrayList<>();
        Set<String> listed = new HashSet<>();

        sweeper.list(CUTOFF, page -> {
            pages.add(page.size());
            page.forEach(waiting -> listed.add(waiting.event().uniqueId()));
        });

        assertThat(pages).containsExactlyInAnyOrder(75, 75);
        assertThat(listed).hasSize(150).doesNotContain("young");
        assertThat(bus.sent).isEmpty();
        assertThat(outbox.ids("PENDING")).hasSize(151);
    }

    private record Query(int shard, Instant receivedBefore, Optional<FollowUpOutbox.Position> after, int limit) {}

    /** One stored item with a follow-up, as the fake outbox holds it. */
    private static final class Item {
        final StoredEvent event;
        final FollowUpMark mark;
        final int shard;
        String status = "PENDING";

        Item(StoredEvent event, FollowUpMark mark, int shard) {
            this.event = event;
            this.mark = mark;
            this.shard = shard;
        }
    }

    /**
     * The outbox index and the conditional marks in memory: a shard's PENDING items received before the cutoff, by
     * received time then unique id, a page of {@code limit} and a position after a full page, as a Query with Limit
     * answers; a mark writes only while the item is PENDING.
     */
    private static final class FakeOutbox implements FollowUpOutbox {
        final Map<String, Item> items = new LinkedHashMap<>();
        final List<Query> queries = new ArrayList<>();
        final Map<String, Instant> emittedAt = new HashMap<>();
        final Map<String, String> busWords = new HashMap<>();
        /** Items another sender marks between this sweeper's read and its mark. */
        final Set<String> markedMeanwhile = new HashSet<>();

        boolean failingMarks;

        void pending(String uniqueId, int shard, Instant receivedAt) {
            items.put(
                    uniqueId,
                    new Item(
                            event(uniqueId, receivedAt),
                            FollowUpMark.pending(EventOracle.followUpId(uniqueId, TYPE), TYPE),
                            shard));
        }

        synchronized List<String> ids(String status) {
            return items.values().stream()
                    .filter(item -> item.status.equals(status))
                    .map(item -> item.event.uniqueId())
                    .sorted()
                    .toList();
        }

        @Override
        public synchronized CompletableFuture<Boolean> markEmitted(String uniqueId, String followUpId, Instant at) {
            return mark(uniqueId, followUpId, "EMITTED").thenApply(first -> {
                if (first) {
                    emittedAt.put(uniqueId, at);
                }
                return first;
            });
        }

        @Override
        public synchronized CompletableFuture<Boolean> markRejected(String uniqueId, String followUpId, String words) {
            return mark(uniqueId, followUpId, "REJECTED").thenApply(first -> {
                if (first) {
                    busWords.put(uniqueId, words);
                }
                return first;
            });
        }

        private CompletableFuture<Boolean> mark(String uniqueId, String followUpId, String status) {
            if (failingMarks) {
                return CompletableFuture.failedFuture(SdkClientException.create("store unavailable"));
            }
            Item item = items.get(uniqueId);
            assertThat(item).isNotNull();
            assertThat(followUpId).isEqualTo(item.mark.id());
            if (markedMeanwhile.remove(uniqueId)) {
                item.status = "EMITTED";
            }
            if (!item.status.equals("PENDING")) {
                return CompletableFuture.completedFuture(false);
            }
            item.status = status;
            return CompletableFuture.completedFuture(true);
        }

        @Override
        public synchronized CompletableFuture<Page> pending(
                int shard, Instant receivedBefore, Optional<Position> after, int limit) {
            queries.add(new Query(shard, receivedBefore, after, limit));
            String outbox = "pending-%02d".formatted(shard);
            List<Item> inShard = items.values().stream()
                    .filter(item -> item.shard == shard && item.status.equals("PENDING"))
                    .filter(item -> item.event.receivedAt().compareTo(EventOracle.storedTimestamp(receivedBefore)) < 0)
                    .filter(item -> after.isEmpty()
                            || after.get().outbox().equals(outbox)
                                    && key(item)
                                                    .compareTo(after.get().receivedAt() + " "
                                                            + after.get().uniqueId())
                                            > 0)
                    .sorted(Comparator.comparing(FakeOutbox::key))
                    .limit(limit)
                    .toList();
            Optional<Position> next = inShard.size() < limit
                    ? Optional.empty()
                    : Optional.of(new Position(
                            outbox,
                            inShard.getLast().event.receivedAt(),
                            inShard.getLast().event.uniqueId()));
            return CompletableFuture.completedFuture(new Page(
                    inShard.stream()
                            .map(item -> new Waiting(item.event, item.mark, ""))
                            .toList(),
                    next));
        }

        private static String key(Item item) {
            return item.event.receivedAt() + " " + item.event.uniqueId();
        }

        @Override
        public CompletableFuture<Page> rejected(Optional<Position> after, int limit) {
            throw new UnsupportedOperationException("the sweeper reads only the pending follow-ups");
        }

        @Override
        public CompletableFuture<Optional<Instant>> oldestPending() {
            throw new UnsupportedOperationException("the sweeper reads only the pending follow-ups");
        }
    }

    /** A bus that accepts every follow-up but those the test has it refuse or miss, or nothing while down. */
    private static final class FakeBus implements FollowUpPublisher {
        final List<FollowUp> sent = new ArrayList<>();
        final List<Integer> batchSizes = new ArrayList<>();
        final Map<String, String> refusing = new HashMap<>();
        final Set<String> missing = new HashSet<>();
        boolean down;

        @Override
        public synchronized CompletableFuture<Publication> publish(List<FollowUp> followUps) {
            batchSizes.add(followUps.size());
            Set<String> accepted = new HashSet<>();
            Map<String, String> refused = new HashMap<>();
            Map<String, Throwable> pending = new HashMap<>();
            for (FollowUp followUp : followUps) {
                if (down || missing.contains(followUp.id())) {
                    pending.put(followUp.id(), SdkClientException.create("bus is down"));
                } else if (refusing.containsKey(followUp.id())) {
                    refused.put(followUp.id(), refusing.get(followUp.id()));
                } else {
                    sent.add(followUp);
                    accepted.add(followUp.id());
                }
            }
            return CompletableFuture.completedFuture(new Publication(accepted, refused, pending));
        }

        synchronized List<String> sentIds() {
            return sent.stream().map(FollowUp::id).toList();
        }
    }

    private static final class RecordingListener implements OutcomeListener {
        final List<String> unmarked = new ArrayList<>();
        final List<String> rejected = new ArrayList<>();
        final List<String> sentAgain = new ArrayList<>();
        final List<String> notSent = new ArrayList<>();

        @Override
        public synchronized void notSent(StoredEvent event, FollowUpMark mark, Throwable cause) {
            notSent.add(mark.id() + ": " + AwsErrors.message(cause));
        }

        @Override
        public void received(int size) {
            throw new UnsupportedOperationException("the sweeper receives no messages");
        }

        @Override
        public void finished(Outcome outcome, long startedNanos) {
            throw new UnsupportedOperationException("the sweeper finishes no messages");
        }

        @Override
        public synchronized void notMarked(StoredEvent event, FollowUpMark mark, Throwable cause) {
            unmarked.add(mark.id());
        }

        @Override
        public synchronized void busRejectedFollowUp(StoredEvent event, FollowUpMark mark, String busWords) {
            rejected.add(mark.id());
        }

        @Override
        public synchronized void sentAgain(FollowUpMark mark) {
            sentAgain.add(mark.id());
        }
    }

    private static StoredEvent event(String uniqueId, Instant receivedAt) {
        return SampleEvents.storedUpdatedEvent(uniqueId, receivedAt);
    }
}
