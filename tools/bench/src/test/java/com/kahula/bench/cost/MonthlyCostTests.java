package com.kahula.bench.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A month from one cost per source event: 2 ms of CPU, $3.48 a million in calls, 2 KB stored and 1 KB archived. Each
 * expected figure was worked out apart from the code (Python), from the list prices and a month of 730 hours.
 */
class MonthlyCostTests {

    private static final EventCost COST = new EventCost(
            10,
            Map.of(DynamoDbUnits.TABLE, 4.0),
            0.08,
            Map.of("receive", 0.2),
            0.1,
            0.2,
            6144,
            1024,
            2048,
            2.0,
            new EventCost.Dollars(2.5, 0.01, 0.6, 0.2, 0.17, 0.02));

    @Test
    void keepsTwoTasksWhenThePeakNeedsLess() {
        MonthlyCost month = MonthlyCost.of(COST, 1_000_000, EventCost.Task.DEFAULT);

        // the peak, 15.05 events/s at 2 ms, is 0.03 vCPU: under one task, and two run
        assertThat(month.tasks()).isEqualTo(2);
        // 2 x (0.5 x $0.03238 + 1 x $0.00356) x 730 hours
        assertThat(month.fargate()).isCloseTo(28.835, offset(1e-6));
        // 30.42 million events: $2.50 a million
        assertThat(month.dynamoDbWrites()).isCloseTo(76.041667, offset(1e-5));
        // 2048 bytes each, 58.02 GB at $0.25; 1024 bytes each, 29.01 GB at $0.023
        assertThat(month.dynamoDbStorage()).isCloseTo(14.503797, offset(1e-5));
        assertThat(month.s3()).isCloseTo(0.667175, offset(1e-5));
        assertThat(month.total()).isCloseTo(149.855972, offset(1e-4));
    }

    @Test
    void runsTheTasksThePeakNeedsAtSeventyPercentOfTheirCpu() {
        MonthlyCost month = MonthlyCost.of(COST, 1_000_000_000, EventCost.Task.DEFAULT);

        // 15,046 events/s at 2 ms is 30.09 vCPU; 0.35 vCPU a task: 85.98, so 86
        assertThat(month.tasks()).isEqualTo(86);
        assertThat(month.fargate()).isCloseTo(1239.905, offset(1e-6));
        assertThat(month.total()).isCloseTo(122_260.876553, offset(1e-3));
    }
}
