package com.kahula.bench;

import java.util.function.ToDoubleFunction;

/** Two contestants' results of the same run, and the ratio of any of their figures within it. */
record RunComparison(BenchResult of, BenchResult to) {

    RunComparison {
        if (!of.run().equals(to.run())) {
            throw new IllegalArgumentException("%s of %s against %s of %s: not one run"
                    .formatted(
                            of.contestant().label(), of.run(), to.contestant().label(), to.run()));
        }
    }

    String run() {
        return of.run();
    }

    /** {@code of / to} of the metric, within the run. */
    double ratio(ToDoubleFunction<BenchResult> metric) {
        return metric.applyAsDouble(of) / metric.applyAsDouble(to);
    }
}
