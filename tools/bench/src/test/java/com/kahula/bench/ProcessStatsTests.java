package com.kahula.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

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

    @Test
    void readsTheLiveThreadsAsTheWholeReadingDoes() {
        long pid = ProcessHandle.current().pid();

        // this JVM's threads: main and the JDK's own at least, and the same count both ways, give or take a thread the
        // test framework starts or ends between the two readings
        assertThat(ProcessStats.threads(pid))
                .isGreaterThan(1)
                .isCloseTo(ProcessStats.of(pid).threads(), within(2));
    }
}
