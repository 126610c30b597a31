package com.kahula.eventpersister.bench;

/** Who drains the queue. */
enum Contestant {
    /** The best hand-written loop on the SDK's async clients with their defaults. */
    FLOOR,
    /** A single-message {@code @SqsListener} on the default container with a synchronous DynamoDB client. */
    NAIVE,
    /** The service itself, the runnable jar as it ships. */
    SERVICE,
    /** Another build of the service ({@code --baseline-jar}), to measure a tuning choice against it in one run. */
    BASELINE;

    String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
