package com.kahula.eventpersister.listener;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.kahula.eventpersister.aws.AwsErrors;
import com.kahula.eventpersister.event.EventMapping;
import com.kahula.eventpersister.event.EventParser;
import com.kahula.eventpersister.event.ParserRejection;
import com.kahula.eventpersister.event.StoredEvent;
import com.kahula.eventpersister.followup.FollowUp;
import com.kahula.eventpersister.followup.FollowUpFactory;
import com.kahula.eventpersister.followup.FollowUpPublisher;
import com.kahula.eventpersister.followup.FollowUpRule;
import com.kahula.eventpersister.followup.FollowUpRules;
import com.kahula.eventpersister.followup.Publication;
import com.kahula.eventpersister.store.EventStore;
import com.kahula.eventpersister.store.FollowUpMark;
import com.kahula.eventpersister.store.FollowUpOutbox;
import com.kahula.eventpersister.store.SaveOutcome;
import com.kahula.eventpersister.store.SaveResult;
import com.kahula.eventpersister.support.EventOracle;
import com.kahula.eventpersister.support.SampleEvents;
import io.awspring.cloud.sqs.listener.SqsHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * The pipeline's decisions, driven with in-memory fakes of its ports: each outcome and the acknowledgement it gives. An
 * expected follow-up id was computed once by Python, outside the code it checks:
 *
 * <pre>
 * follow_up_id() { python3 -c 'import sys,uuid;print(uuid.uuid5(uuid.UUID("6f0b4b8e-3c1d-5e2a-9f47-0d8c2a6b1e53"),sys.argv[1]+"\n"+sys.argv[2]),end="")' "$1" "$2"; }
 * </pre>
 */
class EventPipelineTests {

    private final FakeStore store = new FakeStore();
    private final FakeParking parking = new FakeParking();
    private final FakePublisher publisher = new FakePublisher();
    private final RecordingListener listener = new RecordingListener();
    private final EventPipeline pipeline = new EventPipeline(
            new EventParser(EventMapping.defaults(), 262_144),
            store,
            store,
            parking,
            new FollowUpRules(
                    List.of(new FollowUpRule(
                            "updated-to-validatable",
                            "{\"detail-type\":[{\"suffix\":\"UpdatedEvent\"}]}",
                            "ValidatableEvent")),
                    "kahula.event-persister"),
            new FollowUpFactory("kahula.event-persister", 262_144),
            publisher,
            listener,
            MessageTracing.NONE,
            Clock.fixed(Instant.parse("2026-11-30T10:00:00Z"), ZoneOffset.UTC));

    @Test
    void acknowledgesANewEventOnceStored() {
        Message<String> message = message(plainEvent("e-1"));

        assertThat(process(message)).containsExactly(message);
        assertThat(listener.outcomes).singleElement().isInstanceOf(Outcome.Stored.class);
        assertThat(store.items).containsKey("e-1");
    }

    @Test
    void acknowledgesWhatItDecidedAndReportsEachMessageOnceWhenTheListenerFailsOnOne() {
        listener.failAtOutcome = 2;
        List<Message<String>> batch =
                List.of(message(plainEvent("e-1")), message(plainEvent("e-2")), message(plainEvent("e-3")));

        assertThat(pipeline.process(batch).join()).containsExactlyElementsOf(batch);
        assertThat(listener.outcomes).hasSize(3).allMatch(Outcome.Stored.class::isInstance);
    }

    @Test
    void acknowledgesADuplicateWithoutWriting() {
        process(message(plainEvent("e-1")));
        Message<String> again = message(plainEvent("e-1"));

        assertThat(process(again)).containsExactly(again);
        assertThat(listener.last()).isInstanceOf(Outcome.Duplicate.class);
        assertThat(store.writes).isEqualTo(1);
    }

    @Test
    void parksAConflictWithItsReasonAndTheStoredRowsHashAndAcknowledgesIt() {
        Message<String> first = message(plainEvent("e-1"));
        process(first);
        ObjectNode other = SampleEvents.detail("pricing").put("id", "e-1").put("sku", "OTHER");
        Message<String> conflicting = message(SampleEvents.envelope("com.kahula.pricing.PriceChangedEvent", other));

        assertThat(process(conflicting)).containsExactly(conflicting);
        assertThat(listener.last()).isInstanceOf(Outcome.Conflict.class);
        assertThat(parking.parked).singleElement().satisfies(parked -> {
            assertThat(parked.reason()).isEqualTo("conflict");
            assertThat(parked.body()).isEqualTo(conflicting.getPayload());
            assertThat(parked.storedHash()).contains(store.items.get("e-1").hash());
        });
    }

    @Test
    void parksARestoredConflictWithTheAttributesItArrivedWithUnchanged() {
        process(message(updatedEvent("e-1")));
        Message<String> restored = fromSqs(
                SampleEvents.envelope(
                        "com.kahula.catalog.ProductUpdatedEvent",
                        SampleEvents.detail("catalog").put("id", "e-1").put("sku", "OTHER")),
                Map.of(
                        RestoreAttribute.NAME,
                        MessageAttributeValue.builder()
                                .dataType("String")
                                .stringValue(RestoreAttribute.WITHOUT_FOLLOW_UPS)
                                .build(),
                        "trace",
                        MessageAttributeValue.builder()
                                .dataType("Binary.trace")
                                .binaryValue(SdkBytes.fromByteArray(new byte[] {1, 2, 3}))
                                .build()));

        assertThat(process(restored)).containsExactly(restored);
        assertThat(parking.parked).singleElement().satisfies(parked -> {
            assertThat(parked.reason()).isEqualTo("conflict");
            assertThat(parked.attributes())
                    .containsExactly(
                            Map.entry(
                                    RestoreAttribute.NAME,
                                    new ParkedMessage.Text("String", RestoreAttribute.WITHOUT_FOLLOW_UPS)),
                            Map.entry("trace", new ParkedMessage.Binary("Binary.trace", new byte[] {1, 2, 3})));
        });
    }

    @Test
    void parksAMessageThatDidNotComeFromSqsWithNoAttributes() {
        process(message("not an event"));

        assertThat(parking.parked)
                .singleElement()
                .satisfies(parked -> assertThat(parked.attributes()).isEmpty());
    }

    @Test
    void parksWhatIsNoEventWithTheParsersReason() {
        Message<String> garbage = message("not an event");

        assertThat(process(garbage)).containsExactly(garbage);
        assertThat(listener.last())
                .isEqualTo(new Outcome.Unparseable(
                        ParserRejection.NOT_JSON, parking.parked.getFirst().detail()));
        assertThat(parking.parked)
                .singleElement()
                .extracting(ParkedMessage::reason)
                .isEqualTo("not-json");
    }

    @Test
    void leavesAMessageForRedeliveryWhenParkingFails() {
        parking.failing = true;

        assertThat(process(message("not an event"))).isEmpty();
        assertThat(listener.last()).isInstanceOf(Outcome.Retry.class);
    }

    @Test
    void leavesAMessageForRedeliveryWhenTheStoreFails() {
        store.failingSaves = true;

        assertThat(process(message(plainEvent("e-1")))).isEmpty();
        assertThat(listener.last())
                .isInstanceOfSatisfying(
                        Outcome.Retry.class,
                        retry -> assertThat(retry.eventIfParsed())
                                .map(StoredEvent::uniqueId)
                                .contains("e-1"));
    }

    @Test
    void acknowledgesAnEventWithAFollowUpOnceTheBusAcceptedItAndItIsRecordedAsEmitted() {
        Message<String> updated = message(updatedEvent("e-1"));

        assertThat(process(updated)).containsExactly(updated);
        assertThat(publisher.published).singleElement().satisfies(followUp -> {
            // follow_up_id e-1 ValidatableEvent (the command is in the class's Javadoc)
            assertThat(followUp.id()).isEqualTo("b7a71136-6ffc-5357-9785-ef15bea7b434");
            assertThat(followUp.ruleName()).isEqualTo("updated-to-validatable");
        });
        assertThat(store.items.get("e-1").mark()).map(FollowUpMark::status).contains(FollowUpMark.Status.EMITTED);
        assertThat(listener.last()).isInstanceOf(Outcome.Stored.class);
    }

    @Test
    void acknowledgesAStoredEventWhoseFollowUpTheBusDidNotTakeAndLeavesTheFollowUpPendingInTheOutbox() {
        publisher.accepting = false;
        Message<String> updated = message(updatedEvent("e-1"));

        assertThat(process(updated)).containsExactly(updated);
        assertThat(listener.last()).isInstanceOf(Outcome.Stored.class);
        assertThat(store.items.get("e-1").mark()).map(FollowUpMark::status).contains(FollowUpMark.Status.PENDING);
        assertThat(pipeline.finishMarks(Duration.ofSeconds(1))).isTrue();
        assertThat(store.marks).isZero();
        assertThat(listener.notSent)
                .as("reported with its cause, which readiness and the log classify")
                .containsExactly(EventOracle.followUpId("e-1", "ValidatableEvent") + ": bus is down");
    }

    @Test
    void recordsAFollowUpTheBusRefusesForItsContentOnTheItemAndAcknowledgesTheEventWithoutParkingIt() {
        publisher.refusing = true;
        Message<String> updated = message(updatedEvent("e-1"));

        assertThat(process(updated)).containsExactly(updated);
        assertThat(listener.last()).isInstanceOf(Outcome.Stored.class);
        assertThat(parking.parked).isEmpty();
        assertThat(pipeline.finishMarks(Duration.ofSeconds(1))).isTrue();
        assertThat(store.items.get("e-1").mark()).map(FollowUpMark::status).contains(FollowUpMark.Status.REJECTED);
        assertThat(store.items.get("e-1").error()).contains("MalformedDetail");
        assertThat(listener.rejected).containsExactly("b7a71136-6ffc-5357-9785-ef15bea7b434");
    }

    @Test
    void acknowledgesOnceTheBusAcceptedTheFollowUpWithoutWaitingForItsMark() {
        CompletableFuture<@Nullable Void> held = new CompletableFuture<>();
        store.heldMarks = held;
        Message<String> updated = message(updatedEvent("e-1"));

        assertThat(process(updated)).containsExactly(updated);
        assertThat(listener.last()).isInstanceOf(Outcome.Stored.class);
        assertThat(store.items.get("e-1").mark()).map(FollowUpMark::status).contains(FollowUpMark.Status.PENDING);
        assertThat(pipeline.finishMarks(Duration.ofMillis(50))).isFalse();

        held.complete(null);
        assertThat(pipeline.finishMarks(Duration.ofSeconds(1))).isTrue();
        assertThat(store.items.get("e-1").mark()).map(FollowUpMark::status).contains(FollowUpMark.Status.EMITTED);
    }

    @Test
    void acknowledgesAnEventWhoseFollowUpIsOnTheBusEvenWhenItsMarkCannotBeWritten() {
        store.failingMarks = true;
        Message<String> updated = message(updatedEvent("e-1"));

        assertThat(process(updated)).containsExactly(updated);
        assertThat(publisher.published).hasSize(1);
        assertThat(listener.last()).isInstanceOf(Outcome.Stored.class);
        assertThat(listener.unmarked)
                .containsExactly(publisher.published.getFirst().id());
        assertThat(store.items.get("e-1").mark()).map(FollowUpMark::status).contains(FollowUpMark.Status.PENDING);
    }

    @Test
    void emitsTheStillPendingFollowUpOfARedeliveredEvent() {
        publisher.accepting = false;
        process(message(updatedEvent("e-1")));
        publisher.accepting = true;
        Message<String> redelivered = message(updatedEvent("e-1"));

        assertThat(process(redelivered)).containsExactly(redelivered);
        assertThat(listener.last()).isInstanceOf(Outcome.Duplicate.class);
        assertThat(store.items.get("e-1").mark()).map(FollowUpMark::status).contains(FollowUpMark.Status.EMITTED);
    }

    @Test
    void sendsOneFollowUpForTwoCopiesOfAnEventInOneBatch() {
        Message<String> first = message(updatedEvent("e-1"));
        Message<String> copy = message(updatedEvent("e-1"));

        assertThat(process(first, copy)).containsExactly(first, copy);
        assertThat(publisher.published).hasSize(1);
        assertThat(store.marks).isEqualTo(1);
    }

    @Test
    void storesAnEventARestoreSentWithoutFiringItsFollowUpRule() {
        Message<String> restored = MessageBuilder.withPayload(updatedEvent("e-1"))
                .setHeader(RestoreAttribute.NAME, RestoreAttribute.WITHOUT_FOLLOW_UPS)
                .build();

        assertThat(process(restored)).containsExactly(restored);
        assertThat(listener.last()).isInstanceOf(Outcome.Stored.class);
        assertThat(store.items.get("e-1").mark()).isEmpty();
        assertThat(publisher.published).isEmpty();
    }

    @Test
    void firesTheFollowUpRuleOfAnEventRestoredWithFollowUps() {
        Message<String> restored = MessageBuilder.withPayload(updatedEvent("e-1"))
                .setHeader(RestoreAttribute.NAME, RestoreAttribute.WITH_FOLLOW_UPS)
                .build();

        assertThat(process(restored)).containsExactly(restored);
        assertThat(publisher.published)
                .singleElement()
                .satisfies(followUp -> assertThat(followUp.id()).isEqualTo("b7a71136-6ffc-5357-9785-ef15bea7b434"));
    }

    @Test
    void acknowledgesExactlyTheFinishedMessagesOfAMixedBatch() {
        Message<String> stored = message(plainEvent("e-1"));
        Message<String> parked = message("");
        Message<String> updated = message(updatedEvent("e-2"));
        publisher.accepting = false;
        parking.failing = true;

        assertThat(process(stored, parked, updated)).containsExactly(stored, updated);
        assertThat(listener.outcomes).hasSize(3);
    }

    private List<Message<String>> process(Message<String>... batch) {
        return pipeline.process(List.of(batch)).join();
    }

    private static Message<String> message(String body) {
        return MessageBuilder.withPayload(body).build();
    }

    /** A message as the container hands it over: each attribute a header, and the SQS message it came in. */
    private static Message<String> fromSqs(String body, Map<String, MessageAttributeValue> attributes) {
        MessageBuilder<String> message = MessageBuilder.withPayload(body)
                .setHeader(
                        SqsHeaders.SQS_SOURCE_DATA_HEADER,
                        software.amazon.awssdk.services.sqs.model.Message.builder()
                                .body(body)
                                .messageAttributes(attributes)
                                .build());
        attributes.forEach((name, value) -> message.setHeader(name, value.stringValue()));
        return message.build();
    }

    private static String plainEvent(String id) {
        return SampleEvents.envelope(
                "com.kahula.pricing.PriceChangedEvent",
                SampleEvents.detail("pricing").put("id", id).put("sku", "A"));
    }

    private static String updatedEvent(String id) {
        return SampleEvents.envelope(
                "com.kahula.catalog.ProductUpdatedEvent",
                SampleEvents.detail("catalog").put("id", id).put("sku", "A"));
    }

    private record Item(String hash, Optional<FollowUpMark> mark, String error) {
        Item(String hash, Optional<FollowUpMark> mark) {
            this(hash, mark, "");
        }
    }

    private static final class FakeStore implements EventStore, FollowUpOutbox {
        final Map<String, Item> items = new HashMap<>();
        int writes;
        int marks;
        boolean failingSaves;
        boolean failingMarks;

        @Nullable
        CompletableFuture<@Nullable Void> heldMarks;

        @Override
        public synchronized CompletableFuture<SaveResult> save(StoredEvent event, Optional<FollowUpMark> followUp) {
            if (failingSaves) {
                return CompletableFuture.failedFuture(new IllegalStateException("store unavailable"));
            }
            Item stored = items.get(event.uniqueId());
            if (stored == null) {
                items.put(event.uniqueId(), new Item(event.payloadHash(), followUp));
                writes++;
                return CompletableFuture.completedFuture(new SaveResult(SaveOutcome.STORED, followUp));
            }
            SaveOutcome outcome =
                    stored.hash().equals(event.payloadHash()) ? SaveOutcome.DUPLICATE : SaveOutcome.CONFLICT;
            return CompletableFuture.completedFuture(
                    outcome == SaveOutcome.CONFLICT
                            ? SaveResult.conflict(stored.hash())
                            : new SaveResult(outcome, stored.mark()));
        }

        @Override
        public CompletableFuture<Void> probe() {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public synchronized CompletableFuture<Boolean> markEmitted(
                String uniqueId, String followUpId, Instant emittedAt) {
            return mark(uniqueId, FollowUpMark.Status.EMITTED, "");
        }

        @Override
        public synchronized CompletableFuture<Boolean> markRejected(
                String uniqueId, String followUpId, String busWords) {
            return mark(uniqueId, FollowUpMark.Status.REJECTED, busWords);
        }

        private synchronized CompletableFuture<Boolean> mark(String uniqueId, FollowUpMark.Status to, String error) {
            if (failingMarks) {
                return CompletableFuture.failedFuture(new IllegalStateException("store unavailable"));
            }
            if (heldMarks != null) {
                CompletableFuture<@Nullable Void> held = heldMarks;
                heldMarks = null;
                return held.thenCompose(done -> mark(uniqueId, to, error));
            }
            marks++;
            Item item = items.get(uniqueId);
            FollowUpMark mark = item.mark().orElseThrow();
            if (!mark.isPending()) {
                return CompletableFuture.completedFuture(false);
            }
            items.put(
                    uniqueId, new Item(item.hash(), Optional.of(new FollowUpMark(mark.id(), mark.type(), to)), error));
            return CompletableFuture.completedFuture(true);
        }

        @Override
        public CompletableFuture<Page> pending(int shard, Instant receivedBefore, Optional<Position> after, int limit) {
            throw new UnsupportedOperationException("the pipeline does not read the outbox");
        }

        @Override
        public CompletableFuture<Page> rejected(Optional<Position> after, int limit) {
            throw new UnsupportedOperationException("the pipeline does not read the outbox");
        }

        @Override
        public CompletableFuture<Optional<Instant>> oldestPending() {
            throw new UnsupportedOperationException("the pipeline does not read the outbox");
        }
    }

    private static final class FakeParking implements DeadLetterParking {
        final List<ParkedMessage> parked = new ArrayList<>();
        boolean failing;

        @Override
        public synchronized CompletableFuture<Void> park(ParkedMessage message) {
            if (failing) {
                return CompletableFuture.failedFuture(new IllegalStateException("queue unavailable"));
            }
            parked.add(message);
            return CompletableFuture.completedFuture(null);
        }
    }

    private static final class FakePublisher implements FollowUpPublisher {
        final List<FollowUp> published = new ArrayList<>();
        boolean accepting = true;

        boolean refusing;

        @Override
        public synchronized CompletableFuture<Publication> publish(List<FollowUp> followUps) {
            if (refusing) {
                Map<String, String> refused = new HashMap<>();
                followUps.forEach(followUp -> refused.put(followUp.id(), "MalformedDetail: Detail is malformed."));
                return CompletableFuture.completedFuture(new Publication(Set.of(), refused, Map.of()));
            }
            if (!accepting) {
                Map<String, Throwable> pending = new HashMap<>();
                followUps.forEach(followUp -> pending.put(followUp.id(), SdkClientException.create("bus is down")));
                return CompletableFuture.completedFuture(new Publication(Set.of(), Map.of(), pending));
            }
            published.addAll(followUps);
            Set<String> ids = new HashSet<>();
            followUps.forEach(followUp -> ids.add(followUp.id()));
            return CompletableFuture.completedFuture(new Publication(ids, Map.of(), Map.of()));
        }
    }

    private static final class RecordingListener implements OutcomeListener {
        final List<Outcome> outcomes = new ArrayList<>();
        final List<String> unmarked = new ArrayList<>();
        final List<String> rejected = new ArrayList<>();
        final List<String> sentAgain = new ArrayList<>();
        final List<String> notSent = new ArrayList<>();
        int failAtOutcome = -1;

        @Override
        public synchronized void notSent(StoredEvent event, FollowUpMark mark, Throwable cause) {
            notSent.add(mark.id() + ": " + AwsErrors.message(cause));
        }

        @Override
        public synchronized void busRejectedFollowUp(StoredEvent event, FollowUpMark mark, String busWords) {
            rejected.add(mark.id());
        }

        @Override
        public synchronized void sentAgain(FollowUpMark mark) {
            sentAgain.add(mark.id());
        }

        @Override
        public void received(int size) {}

        @Override
        public synchronized void notMarked(StoredEvent event, FollowUpMark mark, Throwable cause) {
            unmarked.add(mark.id());
        }

        @Override
        public synchronized void finished(Outcome outcome, long startedNanos) {
            outcomes.add(outcome);
            if (outcomes.size() == failAtOutcome) {
                throw new IllegalStateException("a listener that fails once");
            }
        }

        Outcome last() {
            return outcomes.getLast();
        }
    }
}
