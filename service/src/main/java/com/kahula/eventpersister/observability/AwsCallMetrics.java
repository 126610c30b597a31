package com.kahula.eventpersister.observability;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Times every AWS API call of the clients it is added to, as {@code persister.aws.calls} tagged by service, operation
 * and outcome: all bounded, since a client has a fixed set of operations.
 */
public final class AwsCallMetrics implements ExecutionInterceptor {

    static final String AWS_CALLS = "persister.aws.calls";
    private static final ExecutionAttribute<Long> STARTED = new ExecutionAttribute<>("persister.started");

    private final MeterRegistry registry;
    // one timer per service, operation and outcome, found again without building its id on every call
    private final Map<Call, Timer> timers = new ConcurrentHashMap<>();

    AwsCallMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        attributes.putAttribute(STARTED, System.nanoTime());
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        record(attributes, "success");
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        record(attributes, "error");
    }

    private void record(ExecutionAttributes attributes, String outcome) {
        Long started = attributes.getAttribute(STARTED);
        if (started == null) {
            return;
        }
        Call call = new Call(
                String.valueOf(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME)),
                String.valueOf(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME)),
                outcome);
        timers.computeIfAbsent(call, this::timer).record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
    }

    private Timer timer(Call call) {
        return Timer.builder(AWS_CALLS)
                .description("AWS API calls, each with the SDK's own attempts")
                .tag("service", call.service())
                .tag("operation", call.operation())
                .tag("outcome", call.outcome())
                .register(registry);
    }

    private record Call(String service, String operation, String outcome) {}
}
