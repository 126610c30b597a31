package com.kahula.bench.cost;

/**
 * List prices in us-east-1, on demand, without free tiers, in dollars; where each was read is in docs/cost.md. A
 * month is 730 hours, as AWS prices it; KB and GB are binary.
 */
public final class ListPrices {

    public static final double DYNAMODB_PER_MILLION_WRITE_UNITS = 0.625;
    public static final double DYNAMODB_PER_MILLION_READ_UNITS = 0.125;
    public static final double DYNAMODB_PER_GB_MONTH = 0.25;
    public static final double SQS_PER_MILLION_REQUESTS = 0.40;
    public static final double EVENTBRIDGE_PER_MILLION_EVENTS = 1.00;
    public static final double FIREHOSE_PER_GB = 0.029;
    public static final double S3_STANDARD_PER_GB_MONTH = 0.023;
    public static final double FARGATE_ARM_PER_VCPU_HOUR = 0.03238;
    public static final double FARGATE_ARM_PER_GB_HOUR = 0.00356;

    /** Firehose bills each record rounded up to this many bytes. */
    public static final int FIREHOSE_RECORD_INCREMENT = 5 * 1024;
    /** SQS and EventBridge bill each 64 KB chunk of a request's payload as one request or event. */
    public static final int CHUNK = 64 * 1024;

    public static final double HOURS_A_MONTH = 730;
    public static final double GB = 1024.0 * 1024 * 1024;

    private ListPrices() {}

    /** Dollars an hour of a Fargate ARM64 task of {@code vcpu} and {@code gb}. */
    static double fargateTaskHour(double vcpu, double gb) {
        return vcpu * FARGATE_ARM_PER_VCPU_HOUR + gb * FARGATE_ARM_PER_GB_HOUR;
    }
}
