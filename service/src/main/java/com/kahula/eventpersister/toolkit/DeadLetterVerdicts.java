package com.kahula.eventpersister.toolkit;

import com.kahula.eventpersister.event.DetailDifferences;
import com.kahula.eventpersister.event.DetailDifferences.Difference;
import com.kahula.eventpersister.event.EventParser;
import com.kahula.eventpersister.event.ParseResult;
import com.kahula.eventpersister.event.StoredEvent;
import com.kahula.eventpersister.store.ItemLimits;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * What each dead letter would become if it were sent to the source queue now: judged with today's parser against
 * today's table, as the service would judge it (the store's own limits included), without storing anything.
 */
final class DeadLetterVerdicts {

    /** The four answers; only the first two are moved by a redrive. */
    enum Kind {
        WOULD_BE_STORED("would-be-stored", true),
        DUPLICATE("duplicate", true),
        CONFLICT("conflict", false),
        REJECTED_AGAIN("rejected-again", false);

        private final String label;
        private final boolean movable;

        Kind(String label, boolean movable) {
            this.label = label;
            this.movable = movable;
        }

        String label() {
            return label;
        }

        boolean movable() {
            return movable;
        }
    }

    /**
     * A verdict: its kind, why in one line (the reason code first for one rejected again), and for a conflict where the
     * event's detail differs from the stored payload.
     */
    record Verdict(Kind kind, String why, List<Difference> differences) {
        Verdict {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(why, "why");
            differences = List.copyOf(differences);
            if (!differences.isEmpty() && kind != Kind.CONFLICT) {
                throw new IllegalArgumentException("only a conflict has differences");
            }
        }

        static Verdict of(Kind kind, String why) {
            return new Verdict(kind, why, List.of());
        }
    }

    /** A dead letter, the event its body holds (null when the parser refuses it) and its verdict. */
    record Judged(DeadLetter letter, @Nullable StoredEvent event, Verdict verdict) {
        Judged {
            Objects.requireNonNull(letter, "letter");
            Objects.requireNonNull(verdict, "verdict");
        }
    }

    private final EventParser parser;
    private final DetailDifferences differences;
    private final Function<Collection<String>, Map<String, StoredEvent>> storedRows;

    /** @param storedRows the stored rows of these unique ids, those without a row left out */
    DeadLetterVerdicts(
            EventParser parser,
            DetailDifferences differences,
            Function<Collection<String>, Map<String, StoredEvent>> storedRows) {
        this.parser = parser;
        this.differences = differences;
        this.storedRows = storedRows;
    }

    /** Judges the letters, reading the stored rows of all those that parse at once. */
    List<Judged> judge(List<DeadLetter> letters, Instant now) {
        List<@Nullable StoredEvent> events = new ArrayList<>(letters.size());
        List<@Nullable String> refusals = new ArrayList<>(letters.size());
        List<String> ids = new ArrayList<>();
        for (DeadLetter letter : letters) {
            switch (parser.parse(letter.body(), now)) {
                case ParseResult.Parsed parsed -> {
                    events.add(parsed.event());
                    // an item beyond DynamoDB's limits is never stored, and a key beyond them cannot even be read
                    Optional<String> limit = ItemLimits.broken(parsed.event());
                    refusals.add(
                            limit.map(broken -> "store-rejected: " + broken).orElse(null));
                    if (limit.isEmpty()) {
                        ids.add(parsed.event().uniqueId());
                    }
                }
                case ParseResult.ParserRejected rejected -> {
                    events.add(null);
                    refusals.add(rejected.reason().code() + ": " + rejected.detail());
                }
            }
        }
        Map<String, StoredEvent> stored = ids.isEmpty() ? Map.of() : storedRows.apply(ids);
        List<Judged> judged = new ArrayList<>(letters.size());
        for (int i = 0; i < letters.size(); i++) {
            StoredEvent event = events.get(i);
            String refusal = refusals.get(i);
            Verdict verdict = event == null || refusal != null
                    ? Verdict.of(Kind.REJECTED_AGAIN, Objects.requireNonNull(refusal))
                    : against(event, letters.get(i).body(), Optional.ofNullable(stored.get(event.uniqueId())));
            judged.add(new Judged(letters.get(i), event, verdict));
        }
        return judged;
    }

    private Verdict against(StoredEvent event, String body, Optional<StoredEvent> stored) {
        if (stored.isEmpty()) {
            return Verdict.of(Kind.WOULD_BE_STORED, "no row has its unique_id");
        }
        if (stored.get().payloadHash().equals(event.payloadHash())) {
            return Verdict.of(Kind.DUPLICATE, "its row is stored with the same payload hash");
        }
        List<Difference> differing = differences.between(stored.get().payload(), body);
        return new Verdict(
                Kind.CONFLICT,
                differing.isEmpty()
                        ? "its row is stored with another payload hash (the stored payload predates this hash)"
                        : "its detail differs from the stored row's payload at " + differing.size() + " paths",
                differing);
    }
}
