package com.kahula.embeddedaws;

import java.util.concurrent.atomic.LongAdder;

/**
 * The faults PutEvents currently injects, switched at runtime by tests, read by concurrent requests; and how often each
 * took effect.
 */
final class PutEventsFaults {

    private record RequestFailure(int status, String errorType) {}

    private volatile boolean down;
    private volatile String entryRejection;
    private volatile RequestFailure requestFailure;
    private double throttleRate;
    // Error diffusion rather than randomness: a rate of 0.5 throttles exactly every second entry, so tests are exact.
    private double throttleCarry;
    private final LongAdder dropped = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder throttled = new LongAdder();

    void down(boolean down) {
        this.down = down;
    }

    void failRequests(int status, String errorType) {
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("an AWS error needs a 4xx or 5xx status, got " + status);
        }
        requestFailure = new RequestFailure(status, errorType);
    }

    synchronized void throttleEntries(double rate) {
        if (rate < 0 || rate > 1) {
            throw new IllegalArgumentException("throttle rate must be within [0, 1], got " + rate);
        }
        throttleRate = rate;
        throttleCarry = 0;
    }

    /** Refuses every entry with {@code errorCode} (e.g. MalformedDetail), as EventBridge refuses a bad entry. */
    void rejectEntries(String errorCode) {
        entryRejection = errorCode;
    }

    /** The error code every entry is refused with, or null. */
    String entryRejection() {
        return entryRejection;
    }

    synchronized void clear() {
        down = false;
        entryRejection = null;
        requestFailure = null;
        throttleRate = 0;
        throttleCarry = 0;
    }

    /** Fails the whole request, if a request-level fault is on. */
    void beforeRequest() {
        if (down) {
            dropped.increment();
            throw new ConnectionDropped();
        }
        var failure = requestFailure;
        if (failure != null) {
            failed.increment();
            throw new AwsServiceException(
                    failure.status(), failure.errorType(), "Injected fault: " + failure.errorType());
        }
    }

    synchronized boolean throttleNextEntry() {
        throttleCarry += throttleRate;
        if (throttleCarry >= 1) {
            throttleCarry -= 1;
            throttled.increment();
            return true;
        }
        return false;
    }

    /** Requests whose connection was closed without an answer while the bus was down. */
    long droppedRequests() {
        return dropped.sum();
    }

    /** Requests answered with an injected error status. */
    long failedRequests() {
        return failed.sum();
    }

    /** Entries refused with ThrottlingException. */
    long throttledEntries() {
        return throttled.sum();
    }

    /** The error type AWS answers with the given status. */
    static String errorTypeFor(int status) {
        if (status >= 500) {
            return "InternalException";
        }
        return status == 429 ? "ThrottlingException" : "AccessDeniedException";
    }
}
