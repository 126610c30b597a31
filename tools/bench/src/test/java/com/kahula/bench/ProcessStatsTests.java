package com.kahula.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProcessStatsTests {

    @Test
    void countsTheJitCompilersCpuAsPartOfTheProcesss() {
        // this JVM has compiled the test framework's and AssertJ's hot methods by now: more than one 10 ms tick
        long sum = 0;
        for (int i = 0; i < 2_000_000; i++) {
            sum += Integer.toString(i).hashCode();
        }
        ProcessStats stats = ProcessStats.of(ProcessHandle.current().pid());

        assertThat(sum).isNotZero();
        assertThat(stats.jitCpuMillis()).isPositive().isLessThan(stats.cpuMillis());
    }
}
