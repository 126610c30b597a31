package com.kahula.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** When the service's counters, summed over its processes, agree with what the ledger found. */
class ChaosLedgerTests {

    @Test
    void anExactCountFallsShortOfTheLedgerByNoMoreThanTheKillsCouldTakeAlong() {
        assertThat(new ChaosLedger.CounterCheck("stored", 1000, 1000, 100, false).agrees())
                .isTrue();
        assertThat(new ChaosLedger.CounterCheck("stored", 950, 1000, 100, false).agrees())
                .isTrue();
        assertThat(new ChaosLedger.CounterCheck("stored", 850, 1000, 100, false).agrees())
                .isFalse();
    }

    @Test
    void anExactCountAboveTheLedgerDisagrees() {
        assertThat(new ChaosLedger.CounterCheck("stored", 1001, 1000, 100, false).agrees())
                .isFalse();
    }

    @Test
    void anAtLeastOnceCountMayExceedTheLedger() {
        assertThat(new ChaosLedger.CounterCheck("follow-ups emitted", 1300, 1000, 100, true).agrees())
                .isTrue();
        assertThat(new ChaosLedger.CounterCheck("follow-ups emitted", 850, 1000, 100, true).agrees())
                .isFalse();
    }
}
