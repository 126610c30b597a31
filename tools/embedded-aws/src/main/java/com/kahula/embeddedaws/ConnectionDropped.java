package com.kahula.embeddedaws;

/** Tells the gateway to close the connection without any response, as a network outage would. */
final class ConnectionDropped extends RuntimeException {

    ConnectionDropped() {
        super("connection dropped by fault injection", null, false, false);
    }
}
