package com.kahula.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A short chaos soak on the packaged jar: a few thousand events, a kill aimed at each kind of work in flight, the other
 * faults at a quarter of their length. Every fault took effect, and the ledger finds the table, the dead letters and
 * the service's counters as they must be.
 */
class ChaosIT {

    @Test
    void losesNothingDuplicatesNothingAndParksOnlyThePoisonUnderFaultsThatEachTookEffect() throws Exception {
        ChaosMain.Run run = ChaosMain.run(
                3000, 3, 0.25, false, Path.of(System.getProperty("service.jar")), Path.of("target/chaos-it"));

        ChaosEffects effects = run.effects();
        assertThat(effects.kills())
                .extracting(ChaosEffects.Kill::aim)
                .containsExactly(ChaosAim.MID_WRITE, ChaosAim.FOLLOW_UPS_IN_FLIGHT, ChaosAim.MARKS_QUEUED);
        assertThat(effects.missing()).as("faults without effect: %s", effects).isEmpty();
        assertThat(run.verdict().failures()).as("%s", run.verdict()).isEmpty();
        assertThat(run.failures()).isEmpty();
    }
}
