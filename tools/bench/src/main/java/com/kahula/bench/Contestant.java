package com.kahula.bench;

import java.util.Locale;

/** Who drains the queue. */
enum Contestant {
    /** The best hand-written loop on the SDK's async clients, making the service's calls with its rules off. */
    FLOOR,
    /** The same loop with the service's follow-up rules: the service's own floor. */
    FLOOR_FOLLOW_UPS,
    /**
     * The floor's work with its rules off on spring-cloud-aws's listener container, configured as the service's: the
     * container's cost against the floor, the service's own plumbing against the service with its rules off.
     */
    FLOOR_CONTAINER,
    /** A single-message {@code @SqsListener} on the default container with a synchronous DynamoDB client. */
    NAIVE,
    /** The service itself, the runnable jar as it ships. */
    SERVICE,
    /**
     * The same jar with its follow-up rules switched off, so that it does what the floor does (store, acknowledge):
     * the cost of the plumbing alone, next to the cost of the follow-ups.
     */
    SERVICE_STORE_ONLY,
    /**
     * The same jar with the service's tracing off ({@code persister.tracing.enabled=false}): no span, no trace context
     * read, carried or kept; to measure tracing's cost against.
     */
    SERVICE_UNTRACED,
    /** The same jar tracing every message (sampling 1.0), exporting to the bench's OTLP receiver. */
    SERVICE_TRACED_ALL,
    /**
     * Another build or configuration of the service ({@code --baseline-jar}, {@code --baseline-args}), to measure a
     * tuning choice against it in one run.
     */
    BASELINE;

    /** Spring Boot argument that empties the follow-up rule list. */
    static final String NO_FOLLOW_UP_RULES = "--persister.follow-up.rules=";

    String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static Contestant ofLabel(String label) {
        return valueOf(label.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    /** Runs the service jar (readiness is measured, the service's latency probes apply). */
    boolean isService() {
        return this != FLOOR && this != FLOOR_FOLLOW_UPS && this != FLOOR_CONTAINER && this != NAIVE;
    }
}
