package com.kahula.bench;

/** A queue's approximate message counts: visible, in flight, delayed. */
record QueueDepth(int visible, int inFlight, int delayed) {

    boolean empty() {
        return visible == 0 && inFlight == 0 && delayed == 0;
    }
}
