package com.kahula.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * The messages every contestant drains: realistic EventBridge envelopes of the detail-types and domains of
 * {@code BENCH_KINDS} by their weights, {@link #DUPLICATE_SHARE} of them exact duplicates (a redelivered message),
 * shuffled; their size and mix as measured are in docs/performance.md. The same seed gives the same messages. The chaos
 * soak's mix adds {@code *ValidatedEvent}s, so that both follow-up rules run.
 */
final class BenchMessages {

    /** detail-type, domain and weight in percent; the weights add up to 100, as {@code pick} requires. */
    private static final List<Kind> BENCH_KINDS = List.of(
            new Kind("com.kahula.catalog.ProductCreatedEvent", "catalog", 12),
            new Kind("com.kahula.catalog.ProductUpdatedEvent", "catalog", 10),
            new Kind("com.kahula.catalog.PriceChangedEvent", "catalog", 12),
            new Kind("com.kahula.order.OrderPlacedEvent", "order", 14),
            new Kind("com.kahula.order.OrderUpdatedEvent", "order", 5),
            new Kind("com.kahula.order.OrderShippedEvent", "order", 10),
            new Kind("com.kahula.customer.CustomerRegisteredEvent", "customer", 8),
            new Kind("com.kahula.customer.CustomerUpdatedEvent", "customer", 5),
            new Kind("com.kahula.inventory.StockReservedEvent", "inventory", 14),
            new Kind("com.kahula.inventory.StockReleasedEvent", "inventory", 10));

    /** The chaos soak's mix: the bench's, with {@code *ValidatedEvent}s weighted off the creations and releases. */
    private static final List<Kind> CHAOS_KINDS = List.of(
            new Kind("com.kahula.catalog.ProductCreatedEvent", "catalog", 6),
            new Kind("com.kahula.catalog.ProductUpdatedEvent", "catalog", 10),
            new Kind("com.kahula.catalog.ProductValidatedEvent", "catalog", 6),
            new Kind("com.kahula.catalog.PriceChangedEvent", "catalog", 12),
            new Kind("com.kahula.order.OrderPlacedEvent", "order", 14),
            new Kind("com.kahula.order.OrderUpdatedEvent", "order", 5),
            new Kind("com.kahula.order.OrderShippedEvent", "order", 10),
            new Kind("com.kahula.customer.CustomerRegisteredEvent", "customer", 8),
            new Kind("com.kahula.customer.CustomerUpdatedEvent", "customer", 5),
            new Kind("com.kahula.inventory.StockReservedEvent", "inventory", 14),
            new Kind("com.kahula.inventory.StockReleasedEvent", "inventory", 6),
            new Kind("com.kahula.inventory.StockValidatedEvent", "inventory", 4));

    static final double DUPLICATE_SHARE = 0.05;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] WORDS = {
        "summer",
        "linen",
        "organic",
        "cotton",
        "slim",
        "fit",
        "shirt",
        "navy",
        "classic",
        "oxford",
        "stretch",
        "denim",
        "relaxed",
        "wool",
        "blend",
        "crew",
        "neck",
        "recycled",
        "premium",
        "everyday"
    };

    private record Kind(String detailType, String domain, int weight) {}

    /**
     * The bodies in delivery order, how many distinct events (rows) they hold, and how many of those trigger a
     * follow-up under the default rules (a {@code *UpdatedEvent}): the service stores those follow-ups too.
     */
    record Batch(List<String> bodies, int distinct, int followUps) {

        static final Batch NONE = new Batch(List.of(), 0, 0);

        /** This batch, then {@code next}: generated with another seed, so that no event is in both. */
        Batch then(Batch next) {
            List<String> all = new ArrayList<>(bodies);
            all.addAll(next.bodies());
            return new Batch(List.copyOf(all), distinct + next.distinct(), followUps + next.followUps());
        }
    }

    /**
     * One message as generated, with what went into it: the envelope's id, detail-type and source, the event's time (the
     * detail's timestamp), the {@code detail} exactly as it stands in the body, and the detail's producer id, saga id
     * and domain.
     */
    record Sent(
            String body,
            String awsId,
            String detailType,
            String source,
            Instant time,
            String detail,
            String producerId,
            String sagaId,
            String domain) {}

    private BenchMessages() {}

    /** The batch that warms each contestant's process. */
    static Batch warm(int count) {
        return generate(count, 41);
    }

    /** The batch measured after it. */
    static Batch measured(int count) {
        return generate(count, 42);
    }

    static Batch generate(int count, long seed) {
        List<Sent> sent = generate(count, seed, BENCH_KINDS, false);
        int distinct = (int) sent.stream().map(Sent::producerId).distinct().count();
        int followUps = (int) sent.stream()
                .filter(message -> message.detailType().endsWith("UpdatedEvent")
                        || message.detailType().endsWith("ValidatedEvent"))
                .map(Sent::producerId)
                .distinct()
                .count();
        return new Batch(sent.stream().map(Sent::body).toList(), distinct, followUps);
    }

    /** The chaos soak's messages: {@link #generate(int, long)}'s shape, with both follow-up rules in the mix. */
    static List<Sent> chaos(int count, long seed) {
        return generate(count, seed, CHAOS_KINDS, true);
    }

    private static List<Sent> generate(int count, long seed, List<Kind> kinds, boolean ownTimes) {
        Random random = new Random(seed);
        int duplicates = (int) Math.round(count * DUPLICATE_SHARE);
        int distinct = count - duplicates;
        List<Sent> sent = new ArrayList<>(count);
        Instant time = Instant.parse("2026-11-27T10:00:00Z");
        for (int i = 0; i < distinct; i++) {
            Kind kind = pick(random, kinds);
            // events with their own time, at another offset, show that the stored time is the detail's, not the
            // envelope's
            Instant detailTime = ownTimes ? time.plusMillis(random.nextInt(86_400_000)) : time;
            sent.add(envelope(random, kind, null, time, detailTime));
        }
        for (int i = 0; i < duplicates; i++) {
            sent.add(sent.get(random.nextInt(distinct)));
        }
        Collections.shuffle(sent, random);
        return List.copyOf(sent);
    }

    /** An event for the latency probe: its detail timestamp is the publish time, all in one saga to read them back. */
    static String probe(Random random, String sagaId, Instant publishedAt) {
        return envelope(random, pick(random, BENCH_KINDS), sagaId, publishedAt, publishedAt)
                .body();
    }

    private static Kind pick(Random random, List<Kind> kinds) {
        int roll = random.nextInt(100);
        for (Kind kind : kinds) {
            roll -= kind.weight();
            if (roll < 0) {
                return kind;
            }
        }
        throw new IllegalStateException("weights do not add up to 100");
    }

    private static Sent envelope(Random random, Kind kind, String sagaId, Instant time, Instant detailTime) {
        ObjectNode detail = JSON.createObjectNode();
        String producerId = uuid(random);
        String saga = sagaId != null ? sagaId : uuid(random);
        detail.put("id", producerId);
        detail.put("sagaId", saga);
        detail.put("domain", kind.domain());
        detail.put(
                "timestamp",
                detailTime.equals(time)
                        ? time.toString()
                        : detailTime.atOffset(ZoneOffset.ofHours(2)).toString());
        detail.put("sku", "SKU-" + Integer.toHexString(random.nextInt()));
        detail.put("name", words(random, 4));
        detail.put("description", words(random, 28));
        detail.put("price", BigDecimal.valueOf(100 + random.nextInt(99_900), 2));
        detail.put("currency", "EUR");
        detail.put("quantity", 1 + random.nextInt(20));
        ArrayNode tags = detail.putArray("tags");
        for (int i = 0; i < 3; i++) {
            tags.add(WORDS[random.nextInt(WORDS.length)]);
        }
        ObjectNode attributes = detail.putObject("attributes");
        attributes.put("color", WORDS[random.nextInt(WORDS.length)]);
        attributes.put("size", "M");
        attributes.put("weightGrams", 150 + random.nextInt(900));
        attributes.put("warehouse", "DE-" + (1 + random.nextInt(9)));
        ObjectNode envelope = JSON.createObjectNode();
        String awsId = uuid(random);
        envelope.put("version", "0");
        envelope.put("id", awsId);
        envelope.put("detail-type", kind.detailType());
        envelope.put("source", "kahula." + kind.domain());
        envelope.put("account", "111122223333");
        envelope.put("time", time.toString());
        envelope.put("region", "eu-west-1");
        envelope.putArray("resources");
        envelope.set("detail", detail);
        return new Sent(
                envelope.toString(),
                awsId,
                kind.detailType(),
                "kahula." + kind.domain(),
                detailTime,
                detail.toString(),
                producerId,
                saga,
                kind.domain());
    }

    private static String words(Random random, int count) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                text.append(' ');
            }
            text.append(WORDS[random.nextInt(WORDS.length)]);
        }
        return text.toString();
    }

    private static String uuid(Random random) {
        return new UUID(
                        random.nextLong() & ~0xF000L | 0x4000L,
                        random.nextLong() & 0x3FFFFFFFFFFFFFFFL | Long.MIN_VALUE)
                .toString();
    }
}
