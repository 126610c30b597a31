package com.kahula.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A short chaos soak on the packaged jar: a few thousand events, one kill, the faults at a quarter of their length;
 * the service's own counters agree with the ledger.
 */
class ChaosIT {

    @Test
    void losesNothingDuplicatesNothingAndParksOnlyThePoisonUnderFaults() throws Exception {
        ChaosLedger.Verdict verdict = ChaosMain.run(
                3000, 1, 0.25, Path.of("target/event-persister-0.1.0-SNAPSHOT.jar"), Path.of("target/chaos-it"));

        assertThat(verdict.lostEvents()).isZero();
        assertThat(verdict.wrongHashes()).isZero();
        assertThat(verdict.missingFollowUps()).isZero();
        assertThat(verdict.unexpectedRows()).isZero();
        assertThat(verdict.poisonParkedRight()).isEqualTo(verdict.poison());
        assertThat(verdict.unexpectedDeadLetters()).isZero();
        assertThat(verdict.counters())
                .allSatisfy(counter ->
                        assertThat(counter.agrees()).as("%s", counter).isTrue());
    }
}
