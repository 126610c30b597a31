package com.kahula.eventpersister.support;

import com.kahula.eventpersister.observability.PersisterMetrics;
import io.micrometer.cloudwatch2.CloudWatchConfig;
import io.micrometer.cloudwatch2.CloudWatchMeterRegistry;
import io.micrometer.core.instrument.Clock;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.PutMetricDataRequest;
import software.amazon.awssdk.services.cloudwatch.model.PutMetricDataResponse;

/**
 * What Micrometer's CloudWatch registry publishes for the service's meters: each datum's metric name and dimensions,
 * as PutMetricData would carry them to the namespace EventPersister. No AWS call is made.
 */
public final class CloudWatchPublication {

    private CloudWatchPublication() {}

    /**
     * @param commonTags the registry's common tags (application.yml's management.metrics.tags)
     * @param recording what the service records before the registry publishes and closes
     */
    public static List<MetricDatum> of(Map<String, String> commonTags, Consumer<PersisterMetrics> recording) {
        List<MetricDatum> data = new ArrayList<>();
        CloudWatchMeterRegistry registry = registry(data);
        commonTags.forEach((key, value) -> registry.config().commonTags(key, value));
        recording.accept(new PersisterMetrics(registry));
        registry.close();
        return data;
    }

    /** A CloudWatch registry of the namespace EventPersister whose PutMetricData calls add their data to {@code data}. */
    public static CloudWatchMeterRegistry registry(List<MetricDatum> data) {
        CloudWatchAsyncClient client = (CloudWatchAsyncClient) Proxy.newProxyInstance(
                CloudWatchAsyncClient.class.getClassLoader(),
                new Class<?>[] {CloudWatchAsyncClient.class},
                (proxy, method, arguments) -> switch (method.getName()) {
                    case "putMetricData" -> {
                        data.addAll(((PutMetricDataRequest) arguments[0]).metricData());
                        yield CompletableFuture.completedFuture(
                                PutMetricDataResponse.builder().build());
                    }
                    case "serviceName" -> "cloudwatch";
                    case "close" -> null;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        CloudWatchConfig config = new CloudWatchConfig() {
            @Override
            public String get(String key) {
                return null;
            }

            @Override
            public String namespace() {
                return "EventPersister";
            }
        };
        return new CloudWatchMeterRegistry(config, Clock.SYSTEM, client);
    }
}
