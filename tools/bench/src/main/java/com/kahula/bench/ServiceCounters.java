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

    /** What the ledger compares, and what a kill is aimed by, each as a metric name and its tags. */
    enum Count {
        STORED("persister.events", "outcome:stored"),
        DUPLICATE("persister.events", "outcome:duplicate"),
        CONFLICT("persister.events", "outcome:conflict"),
        PARKED_NOT_JSON("persister.events", "outcome:parked", "reason:not-json"),
        PARKED_STORE_REJECTED("persister.events", "outcome:parked", "reason:store-rejected"),
        VALIDATABLE_EMITTED("persister.followups", "outcome:emitted", "type:ValidatableEvent"),
        INDEXABLE_EMITTED("persister.followups", "outcome:emitted", "type:IndexableEvent"),
        // a follow-up on the bus whose EMITTED mark could not be written, of any type
        UNMARKED("persister.followups", "outcome:unmarked"),
        // every PutItem call that did not succeed: failed conditions (a duplicate) and timeouts alike
        PUT_ITEM_ERRORS("persister.aws.calls", "service:DynamoDb", "operation:PutItem", "outcome:error"),
        // gauges: what the process holds now, never summed over processes
        IN_FLIGHT("persister.messages.in-flight"),
        MARKS_QUEUED("persister.followups.marks.queued"),
        LISTENER_PAUSED("persister.listener.paused");

        private final String metric;
        private final String[] tags;

        Count(String metric, String... tags) {
            this.metric = metric;
            this.tags = tags;
        }

        boolean gauge() {
            return this == IN_FLIGHT || this == MARKS_QUEUED || this == LISTENER_PAUSED;
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
            String statistic = count.gauge() ? "VALUE" : "COUNT";
            for (JsonNode measurement : JSON.readTree(response.body()).path("measurements")) {
                if (measurement.path("statistic").asText().equals(statistic)) {
                    reading.counts.put(
                            count, Math.round(measurement.path("value").asDouble()));
                }
            }
        }
        return reading;
    }

    /** The counts of both readings added up; the gauges are {@code other}'s, the later reading's. */
    ServiceCounters plus(ServiceCounters other) {
        ServiceCounters sum = new ServiceCounters();
        counts.forEach(
                (count, value) -> sum.counts.put(count, count.gauge() ? other.get(count) : value + other.get(count)));
        return sum;
    }

    /** A reading with the given counts, the others 0: for tests. */
    static ServiceCounters of(Map<Count, Long> values) {
        ServiceCounters reading = new ServiceCounters();
        reading.counts.putAll(values);
        return reading;
    }

    /** Whether the counts (not the gauges) are those of {@code other}: nothing was counted between two readings. */
    boolean sameCounts(ServiceCounters other) {
        return counts.keySet().stream()
                .filter(count -> !count.gauge())
                .allMatch(count -> counts.get(count).equals(other.counts.get(count)));
    }

    long get(Count count) {
        return counts.get(count);
    }

    @Override
    public String toString() {
        return counts.toString();
    }
}
