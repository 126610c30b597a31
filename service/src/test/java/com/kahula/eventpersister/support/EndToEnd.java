package com.kahula.eventpersister.support;

/**
 * What an end-to-end scenario needs from the stack it runs on, so that it is written once and runs on the embedded
 * stack and on LocalStack alike.
 */
public interface EndToEnd {

    /** The service's queues, table and bus on this stack. */
    AwsFixture aws();

    /** How many events ended with this outcome so far. */
    double events(String outcome);

    /** Waits until the service has processed nothing for a while, for tests that count. */
    void awaitQuiet();
}
