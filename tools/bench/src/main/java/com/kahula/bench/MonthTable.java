package com.kahula.bench;

import com.kahula.bench.cost.EventCost;
import com.kahula.bench.cost.MonthlyCost;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The report's month at 1 million, 100 million and 1 billion source events a day, from the service's median run. */
final class MonthTable {

    static final List<Long> EVENTS_A_DAY = List.of(1_000_000L, 100_000_000L, 1_000_000_000L);

    private MonthTable() {}

    /** Appends the table when the service ran: its default configuration and task size, the bench's follow-up mix. */
    static void append(StringBuilder md, BenchReport report) {
        report.medianRun(Contestant.SERVICE).ifPresent(service -> {
            List<MonthlyCost> months = EVENTS_A_DAY.stream()
                    .map(perDay -> MonthlyCost.of(service.cost(), perDay, EventCost.Task.DEFAULT))
                    .toList();
            md.append("\n### A month at 1 million, 100 million and 1 billion source events a day\n\n");
            md.append("The service's median run (%s), follow-up rules as shipped, on 0.5 vCPU / 1 GB ARM64 tasks; a"
                            .formatted(service.run())
                    + " month at us-east-1 list prices, of 730 hours:\n\n");
            md.append("| | 1 million a day | 100 million a day | 1 billion a day |\n|---|---:|---:|---:|\n");
            row(md, months, "tasks at the peak", month -> Integer.toString(month.tasks()));
            row(md, months, "Fargate, the peak's tasks all month", month -> dollars(month.fargate()));
            row(md, months, "DynamoDB writes", month -> dollars(month.dynamoDbWrites()));
            row(md, months, "DynamoDB reads", month -> dollars(month.dynamoDbReads()));
            row(md, months, "DynamoDB storage of one month's items", month -> dollars(month.dynamoDbStorage()));
            row(md, months, "SQS", month -> dollars(month.sqs()));
            row(md, months, "EventBridge, the follow-ups", month -> dollars(month.eventBridge()));
            row(md, months, "Firehose", month -> dollars(month.firehose()));
            row(md, months, "S3, one month's archive uncompressed", month -> dollars(month.s3()));
            row(md, months, "**a month**", month -> "**" + dollars(month.total()) + "**");
            md.append(("\n- the calls per source event of that run, times the events of a month; tasks: the peak (%.1fx"
                            + " the day's average) at %.0f %% of a task's vCPU by that run's CPU per source event"
                            + " (%.3f ms), at least %d; storage accumulates month after month\n")
                    .formatted(
                            MonthlyCost.PEAK_TO_AVERAGE,
                            MonthlyCost.CPU_TARGET * 100,
                            service.cost().cpuMillis(),
                            MonthlyCost.MIN_TASKS));
        });
    }

    private static void row(
            StringBuilder md, List<MonthlyCost> months, String label, Function<MonthlyCost, String> cell) {
        md.append("| ")
                .append(label)
                .append(" | ")
                .append(months.stream().map(cell).collect(Collectors.joining(" | ")))
                .append(" |\n");
    }

    /** Whole dollars with thousands separated, or cents below ten dollars. */
    static String dollars(double amount) {
        return amount < 10 ? String.format(Locale.ROOT, "$%.2f", amount) : String.format(Locale.ROOT, "$%,.0f", amount);
    }
}
