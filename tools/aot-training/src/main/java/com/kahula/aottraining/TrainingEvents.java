package com.kahula.aottraining;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The events a training drains: EventBridge envelopes as the bus's rule delivers them, of the detail-types that take
 * each path of the pipeline (a follow-up of either rule, or none), each event distinct. Their size and shape follow
 * the bench's events, so that the hot path's method profiles are those of real traffic.
 */
final class TrainingEvents {

    private static final List<String> DETAIL_TYPES = List.of(
            "com.kahula.catalog.ProductCreatedEvent",
            "com.kahula.catalog.ProductUpdatedEvent",
            "com.kahula.order.OrderPlacedEvent",
            "com.kahula.order.OrderValidatedEvent",
            "com.kahula.inventory.StockReservedEvent");
    private static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");

    private TrainingEvents() {}

    /** The {@code n}th event (from 0): its detail-type by turns, its ids from {@code n}, its time {@code n} s on. */
    static String event(long n) {
        String detailType = DETAIL_TYPES.get((int) (n % DETAIL_TYPES.size()));
        String domain = detailType.split("\\.")[2];
        Instant time = EPOCH.plusSeconds(n);
        return """
                {"version":"0","id":"%s","detail-type":"%s","source":"kahula.%s","account":"111122223333",\
                "time":"%s","region":"eu-west-1","resources":[],"detail":{"id":"%s","sagaId":"%s","domain":"%s",\
                "timestamp":"%s","sku":"SKU-%x","name":"training event %d","description":"an event of the AOT\
                 cache's training, shaped as the bench's: a producer's id, a saga, a domain, a time and some thirty\
                 words of text","price":%d.%02d,"currency":"EUR","quantity":%d,"tags":["aot","training","event"],\
                "attributes":{"color":"blue","size":"M","weightGrams":%d,"warehouse":"DE-%d"}}}""".formatted(
                        uuid(n, 1),
                        detailType,
                        domain,
                        time,
                        uuid(n, 2),
                        uuid(n / 4, 3),
                        domain,
                        time,
                        n,
                        n,
                        100 + n % 900,
                        n % 100,
                        1 + n % 20,
                        150 + n % 900,
                        1 + n % 9);
    }

    /** The SQS message id of the {@code n}th event: a UUID, as SQS's are and as spring-cloud-aws requires. */
    static String messageId(long n) {
        return uuid(n, 4);
    }

    private static String uuid(long n, long kind) {
        return new UUID(0x0a07_0000_0000_4000L | kind << 16, 0x8000_0000_0000_0000L | n).toString();
    }
}
