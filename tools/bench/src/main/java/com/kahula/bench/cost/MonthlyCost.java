package com.kahula.bench.cost;

/**
 * A month of the service's own bill at {@code eventsPerDay} source events a day, at list prices, from one drain's cost
 * per source event: the calls scale with the events; the tasks are those the peak needs, all month.
 *
 * <p>The peak is {@link #PEAK_TO_AVERAGE} times the day's average (no measured daily profile grounds another), a task
 * is kept at {@link #CPU_TARGET} of its vCPU (the template's scaling headroom), and at least {@link #MIN_TASKS} run
 * (the template's {@code MinTasks}). Storage is one month's items and index entries, and the archive one month's
 * records uncompressed: both add up month after month.
 */
public record MonthlyCost(
        long eventsPerDay,
        int tasks,
        double fargate,
        double dynamoDbWrites,
        double dynamoDbReads,
        double dynamoDbStorage,
        double sqs,
        double eventBridge,
        double firehose,
        double s3) {

    public static final double PEAK_TO_AVERAGE = 1.3;
    public static final double CPU_TARGET = 0.7;
    public static final int MIN_TASKS = 2;
    static final double DAYS_A_MONTH = ListPrices.HOURS_A_MONTH / 24;

    public static MonthlyCost of(EventCost cost, long eventsPerDay, EventCost.Task task) {
        double events = eventsPerDay * DAYS_A_MONTH;
        double millions = events / 1e6;
        double peakPerSecond = eventsPerDay / 86_400.0 * PEAK_TO_AVERAGE;
        double vcpuAtPeak = peakPerSecond * cost.cpuMillis() / 1000;
        int tasks = Math.max(MIN_TASKS, (int) Math.ceil(vcpuAtPeak / (task.vcpu() * CPU_TARGET)));
        EventCost.Dollars perMillion = cost.perMillion();
        return new MonthlyCost(
                eventsPerDay,
                tasks,
                tasks * task.dollarsAnHour() * ListPrices.HOURS_A_MONTH,
                perMillion.dynamoDbWrites() * millions,
                perMillion.dynamoDbReads() * millions,
                cost.storedBytes() * events / ListPrices.GB * ListPrices.DYNAMODB_PER_GB_MONTH,
                perMillion.sqs() * millions,
                perMillion.eventBridge() * millions,
                perMillion.firehose() * millions,
                cost.archivedBytes() * events / ListPrices.GB * ListPrices.S3_STANDARD_PER_GB_MONTH);
    }

    public double total() {
        return fargate + dynamoDbWrites + dynamoDbReads + dynamoDbStorage + sqs + eventBridge + firehose + s3;
    }
}
