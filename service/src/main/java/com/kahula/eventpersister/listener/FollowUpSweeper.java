package com.kahula.eventpersister.listener;

import com.kahula.eventpersister.followup.FollowUp;
import com.kahula.eventpersister.followup.FollowUpFactory;
import com.kahula.eventpersister.followup.FollowUpPublisher;
import com.kahula.eventpersister.followup.FollowUpRule;
import com.kahula.eventpersister.followup.FollowUpRules;
import com.kahula.eventpersister.followup.Publication;
import com.kahula.eventpersister.store.EventTable;
import com.kahula.eventpersister.store.FollowUpOutbox;
import com.kahula.eventpersister.store.FollowUpOutbox.Position;
import com.kahula.eventpersister.store.FollowUpOutbox.Waiting;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The safety net behind the batch's fast path: sends the follow-ups still PENDING in the outbox index, oldest first,
 * and has each marked. Several tasks may sweep at once: each pass starts at a random shard, and a follow-up sent twice
 * is stored once when it comes back (its id is deterministic) and is counted as an extra send.
 */
public final class FollowUpSweeper {

    /** Index entries read and follow-ups sent at a time. */
    static final int PAGE = 100;

    /** What one pass found and did. */
    public record Pass(int found, int accepted, int busRejected, int notSent, boolean busRefusedAll) {

        Pass plus(Pass other) {
            return new Pass(
                    found + other.found,
                    accepted + other.accepted,
                    busRejected + other.busRejected,
                    notSent + other.notSent,
                    busRefusedAll || other.busRefusedAll);
        }

        static Pass none() {
            return new Pass(0, 0, 0, 0, false);
        }
    }

    private final FollowUpOutbox outbox;
    private final FollowUpRules rules;
    private final FollowUpFactory followUps;
    private final FollowUpPublisher publisher;
    private final OutcomeListener listener;
    private final FollowUpTracing tracing;
    private final Clock clock;

    public FollowUpSweeper(
            FollowUpOutbox outbox,
            FollowUpRules rules,
            FollowUpFactory followUps,
            FollowUpPublisher publisher,
            OutcomeListener listener,
            FollowUpTracing tracing,
            Clock clock) {
        this.outbox = outbox;
        this.rules = rules;
        this.followUps = followUps;
        this.publisher = publisher;
        this.listener = listener;
        this.tracing = tracing;
        this.clock = clock;
    }

    /**
     * Sends every follow-up still PENDING that was received before {@code receivedBefore}, shard by shard from a random
     * one; stops at the first page of which the bus took nothing (it is down: the next pass tries again). Blocks.
     */
    public Pass sweep(Instant receivedBefore) {
        return visit(receivedBefore, this::send);
    }

    /** Lists, without sending, the follow-ups {@link #sweep(Instant)} would send, page by page. */
    public void list(Instant receivedBefore, Consumer<List<Waiting>> page) {
        visit(receivedBefore, waiting -> {
            page.accept(waiting);
            return new Pass(waiting.size(), 0, 0, waiting.size(), false);
        });
    }

    private interface PageHandler {
        Pass handle(List<Waiting> page);
    }

    private Pass visit(Instant receivedBefore, PageHandler handler) {
        Pass total = Pass.none();
        int first = ThreadLocalRandom.current().nextInt(EventTable.OUTBOX_SHARDS);
        for (int i = 0; i < EventTable.OUTBOX_SHARDS; i++) {
            int shard = (first + i) % EventTable.OUTBOX_SHARDS;
            Optional<Position> after = Optional.empty();
            do {
                FollowUpOutbox.Page page =
                        outbox.pending(shard, receivedBefore, after, PAGE).join();
                if (!page.waiting().isEmpty()) {
                    Pass done = handler.handle(page.waiting());
                    total = total.plus(done);
                    if (done.busRefusedAll()) {
                        return total;
                    }
                }
                after = page.next();
            } while (after.isPresent());
        }
        return total;
    }

    private Pass send(List<Waiting> page) {
        Instant now = clock.instant();
        List<FollowUp> outgoing = new ArrayList<>(page.size());
        List<FollowUpSend> sends = new ArrayList<>(page.size());
        for (Waiting waiting : page) {
            FollowUpSend send =
                    tracing.resuming(waiting.event().trace(), waiting.mark().type());
            sends.add(send);
            outgoing.add(followUps
                    .create(
                            waiting.event(),
                            waiting.mark().type(),
                            rules.emitting(waiting.mark().type())
                                    .map(FollowUpRule::name)
                                    .orElse(null),
                            now)
                    .withTraceHeader(send.traceHeader()));
        }
        Publication publication;
        try {
            publication = publisher.publish(outgoing).join();
        } catch (RuntimeException error) {
            sends.forEach(send -> send.end("not-sent", error));
            throw error;
        }
        for (int i = 0; i < page.size(); i++) {
            FollowUpEmission.end(sends.get(i), page.get(i).mark().id(), publication);
        }
        Instant at = clock.instant();
        List<CompletableFuture<Void>> marks = new ArrayList<>(page.size());
        for (Waiting waiting : page) {
            String id = waiting.mark().id();
            String refusal = publication.busRejected().get(id);
            Throwable notSent = publication.pending().get(id);
            if (publication.accepted().contains(id)) {
                marks.add(mark(waiting, outbox.markEmitted(waiting.event().uniqueId(), id, at), null));
            } else if (refusal != null) {
                marks.add(mark(waiting, outbox.markRejected(waiting.event().uniqueId(), id, refusal), refusal));
            } else if (notSent != null) {
                listener.notSent(waiting.event(), waiting.mark(), notSent);
            }
        }
        CompletableFuture.allOf(marks.toArray(CompletableFuture[]::new)).join();
        int accepted = publication.accepted().size();
        int busRejected = publication.busRejected().size();
        return new Pass(
                page.size(),
                accepted,
                busRejected,
                page.size() - accepted - busRejected,
                accepted == 0 && busRejected == 0);
    }

    private CompletableFuture<Void> mark(
            Waiting waiting, CompletableFuture<Boolean> written, @Nullable String refusal) {
        return written.handle((first, error) -> {
            // As FollowUpMarks: a refusal is reported only by the mark that found the follow-up PENDING.
            if (error != null) {
                listener.notMarked(waiting.event(), waiting.mark(), error);
            } else if (refusal != null) {
                if (first) {
                    listener.busRejectedFollowUp(waiting.event(), waiting.mark(), refusal);
                }
            } else if (!first) {
                listener.sentAgain(waiting.mark());
            }
            return null;
        });
    }
}
