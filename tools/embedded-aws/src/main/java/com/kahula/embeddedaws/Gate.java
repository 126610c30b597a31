package com.kahula.embeddedaws;

/**
 * A switch on one kind of request at the gateway: open, requests pass; held, they wait; opened dropping the held ones,
 * those close their connections without an answer (as when the client that sent them has died) and later ones pass.
 */
public final class Gate {

    private boolean held;
    private long drops;
    private int waiting;
    private long everHeld;

    /** Requests that reach the gate from now on wait until it opens. */
    public synchronized void hold() {
        held = true;
    }

    /** Lets the waiting requests and every later one pass. */
    public synchronized void open() {
        held = false;
        notifyAll();
    }

    /** Closes the waiting requests' connections without an answer; every later one passes. */
    public synchronized void openDroppingHeld() {
        drops++;
        held = false;
        notifyAll();
    }

    /** How many requests wait at the gate now. */
    public synchronized int waiting() {
        return waiting;
    }

    /** How many requests have waited at the gate since the stack started. */
    public synchronized long everHeld() {
        return everHeld;
    }

    /**
     * Returns when the gate lets this request pass; throws {@link ConnectionDropped} when it drops it. {@code whenHeld}
     * runs once, before waiting, if the request has to wait.
     */
    synchronized void pass(Runnable whenHeld) throws InterruptedException {
        if (!held) {
            return;
        }
        whenHeld.run();
        long dropsBefore = drops;
        waiting++;
        everHeld++;
        try {
            while (held && drops == dropsBefore) {
                wait();
            }
        } finally {
            waiting--;
        }
        if (drops != dropsBefore) {
            throw new ConnectionDropped();
        }
    }
}
