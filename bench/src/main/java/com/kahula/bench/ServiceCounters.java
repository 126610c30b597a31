package com.kahula.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The service's own counters, as its actuator shows them: one reading of one process, and the sum over the processes
 * of a run. A process killed with SIGKILL takes along what it counted after its last reading, which is why the chaos
 * soak reads a process just before it kills it.
 */
final class ServiceCounters {

    /** What the ledger compares, each as a metric name and its tags. */
    enum Count {
        STORED("persister.events", "outcome:stored"),
        DUPLICATE("persister.events", "outcome:duplicate"),
        PARKED_NOT_JSON("persister.events", "outcome:parked", "reason:not-json"),
        PARKED_STORE_REJECTED("persister.events", "outcome:parked", "reason:store-rejected"),
        FOLLOW_UPS_EMITTED("persister.followups", "outcome:emitted"),
        // a write whose answer never came (a timeout): it may have been made, and its retry then finds a duplicate
        PUT_ITEM_ERRORS("persister.aws.calls", "service:DynamoDb", "operation:PutItem", "outcome:error");

        private final String metric;
        private final String[] tags;

        Count(String metric, String... tags) {
            this.metric = metric;
            this.tags = tags;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Map<Count, Long> counts = new LinkedHashMap<>();

    private ServiceCounters() {
        for (Count count : Count.values()) {
            counts.put(count, 0L);
        }
    }

    static ServiceCounters none() {
        return new ServiceCounters();
    }

    /** Reads every count from the service's actuator on {@code port}; a meter not registered yet counts 0. */
    static ServiceCounters read(int port) throws IOException, InterruptedException {
        ServiceCounters reading = new ServiceCounters();
        for (Count count : Count.values()) {
            StringBuilder uri =
                    new StringBuilder("http://127.0.0.1:%d/actuator/metrics/%s".formatted(port, count.metric));
            for (int i = 0; i < count.tags.length; i++) {
                uri.append(i == 0 ? '?' : '&').append("tag=").append(count.tags[i]);
            }
            HttpResponse<String> response = HTTP.send(
                    HttpRequest.newBuilder(URI.create(uri.toString()))
                            .timeout(Duration.ofSeconds(2))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 404) {
                continue;
            }
            if (response.statusCode() != 200) {
                throw new IOException(uri + " answered " + response.statusCode());
            }
            for (JsonNode measurement : JSON.readTree(response.body()).path("measurements")) {
                if (measurement.path("statistic").asText().equals("COUNT")) {
                    reading.counts.put(
                            count, Math.round(measurement.path("value").asDouble()));
                }
            }
        }
        return reading;
    }

    ServiceCounters plus(ServiceCounters other) {
        ServiceCounters sum = new ServiceCounters();
        counts.forEach((count, value) -> sum.counts.put(count, value + other.get(count)));
        return sum;
    }

    long get(Count count) {
        return counts.get(count);
    }

    @Override
    public String toString() {
        return counts.toString();
    }
}
