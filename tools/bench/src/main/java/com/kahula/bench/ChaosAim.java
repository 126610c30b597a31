package com.kahula.bench;

/** The work a chaos soak's kill is aimed at, in the order the kills take them. */
enum ChaosAim {
    MID_WRITE("writes in flight at a frozen DynamoDB, to land after the kill"),
    FOLLOW_UPS_IN_FLIGHT("follow-ups the bus accepted, their answers held back"),
    MARKS_QUEUED("EMITTED marks queued in the service, their writes held back");

    private final String what;

    ChaosAim(String what) {
        this.what = what;
    }

    /** The work, as the soak's log names it. */
    String what() {
        return what;
    }
}
