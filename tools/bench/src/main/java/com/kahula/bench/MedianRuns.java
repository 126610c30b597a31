package com.kahula.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/** Picks the runs the report states, whole: by the median events/s of a contestant, the median ratio of two. */
final class MedianRuns {

    /** The ratios the report states, when both contestants ran. */
    static final List<Comparison> COMPARISONS = List.of(
            // each against the floor that makes its calls: the rules on, the rules off
            new Comparison(Contestant.SERVICE, Contestant.FLOOR_FOLLOW_UPS),
            new Comparison(Contestant.SERVICE, Contestant.NAIVE),
            new Comparison(Contestant.SERVICE_STORE_ONLY, Contestant.FLOOR),
            // the rules off, split: spring-cloud-aws's container against the floor, the service against the container
            new Comparison(Contestant.FLOOR_CONTAINER, Contestant.FLOOR),
            new Comparison(Contestant.SERVICE_STORE_ONLY, Contestant.FLOOR_CONTAINER),
            new Comparison(Contestant.SERVICE, Contestant.SERVICE_STORE_ONLY),
            // tracing's cost: the shipped sampling ratio, and every message, against tracing off
            new Comparison(Contestant.SERVICE, Contestant.SERVICE_UNTRACED),
            new Comparison(Contestant.SERVICE_TRACED_ALL, Contestant.SERVICE_UNTRACED),
            new Comparison(Contestant.BASELINE, Contestant.SERVICE),
            // a baseline run with its rules off (--baseline-args "--persister.follow-up.rules=")
            new Comparison(Contestant.BASELINE, Contestant.SERVICE_STORE_ONLY));

    /** {@code of} against {@code to}, as the report labels it. */
    record Comparison(Contestant of, Contestant to) {
        String label() {
            return of.label() + " / " + to.label();
        }
    }

    private MedianRuns() {}

    /**
     * The contestant's run with the median events/s, whole; with an even number of runs, the slower of the two middle
     * ones. Empty when the contestant did not run.
     */
    static Optional<BenchResult> medianRun(List<BenchResult> results, Contestant contestant) {
        return lowerMedian(
                results.stream()
                        .filter(result -> result.contestant() == contestant)
                        .toList(),
                BenchResult::eventsPerSecond);
    }

    /** Each run's comparison of {@code of} with {@code to}, in the order of the runs; empty unless both ran. */
    static List<RunComparison> comparisons(List<List<BenchResult>> runs, Contestant of, Contestant to) {
        List<RunComparison> comparisons = new ArrayList<>();
        for (List<BenchResult> run : runs) {
            Optional<BenchResult> ofResult = inRun(run, of);
            Optional<BenchResult> toResult = inRun(run, to);
            if (ofResult.isPresent() && toResult.isPresent()) {
                comparisons.add(new RunComparison(ofResult.get(), toResult.get()));
            }
        }
        return comparisons;
    }

    /**
     * The run whose throughput ratio of {@code of} to {@code to} is the median, whole; with an even number of runs, the
     * lower of the two middle ones. Empty unless both ran.
     */
    static Optional<RunComparison> medianComparison(List<List<BenchResult>> runs, Contestant of, Contestant to) {
        return lowerMedian(comparisons(runs, of, to), comparison -> comparison.ratio(BenchResult::eventsPerSecond));
    }

    private static Optional<BenchResult> inRun(List<BenchResult> run, Contestant contestant) {
        return run.stream().filter(result -> result.contestant() == contestant).findFirst();
    }

    /** The middle element by the key, or the lower of the two middle ones; empty when there is none. */
    private static <T> Optional<T> lowerMedian(List<T> items, ToDoubleFunction<T> key) {
        List<T> sorted = items.stream().sorted(Comparator.comparingDouble(key)).toList();
        return sorted.isEmpty() ? Optional.empty() : Optional.of(sorted.get((sorted.size() - 1) / 2));
    }
}
