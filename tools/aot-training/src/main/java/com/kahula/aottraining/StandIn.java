package com.kahula.aottraining;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;

/**
 * Answers, in the AWS JSON protocol, the calls a start makes before it is ready: the queue's URL and attributes
 * (the visibility timeout check, the queue's health), the listener's polls (empty, after a second, as a long poll
 * on an empty queue) and the table's description (ACTIVE). Any other call gets a 400 and is counted as refused:
 * the training is about the path to readiness, not about storing events.
 */
final class StandIn implements AutoCloseable {

    static final String REGION = "us-east-1";
    static final Duration EMPTY_POLL = Duration.ofSeconds(1);
    private static final String CONTENT_TYPE = "application/x-amz-json-1.0";
    private static final String PUT_METRIC_DATA = "/operation/PutMetricData";

    private final HttpServer server;
    private final ExecutorService executor;
    private final Map<String, LongAdder> answered = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> refused = new ConcurrentHashMap<>();

    private StandIn(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    static StandIn start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        StandIn standIn = new StandIn(server, executor);
        server.createContext("/", standIn::handle);
        server.setExecutor(executor);
        server.start();
        return standIn;
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The calls answered and refused so far, by operation. */
    String summary() {
        return "answered " + counts(answered) + ", refused " + counts(refused);
    }

    Map<String, Long> answered() {
        return snapshot(answered);
    }

    Map<String, Long> refused() {
        return snapshot(refused);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            String target = Optional.ofNullable(exchange.getRequestHeaders().getFirst("X-Amz-Target"))
                    .orElse(exchange.getRequestMethod() + " "
                            + exchange.getRequestURI().getPath());
            if (target.endsWith(PUT_METRIC_DATA)) {
                // the CloudWatch export's publication as the service stops, in the Smithy RPC v2 CBOR protocol:
                // its answer has no members, so an empty body
                count(answered, PUT_METRIC_DATA);
                exchange.getResponseHeaders().set("smithy-protocol", "rpc-v2-cbor");
                exchange.getResponseHeaders().set("Content-Type", "application/cbor");
                exchange.sendResponseHeaders(200, -1);
                return;
            }
            Optional<String> answer = answer(target);
            count(answer.isPresent() ? answered : refused, target);
            byte[] body = answer.orElse("{\"__type\":\"UnknownOperationException\",\"message\":\"not stood in"
                            + " for while training the AOT cache\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
            exchange.sendResponseHeaders(answer.isPresent() ? 200 : 400, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    private static void count(Map<String, LongAdder> counts, String target) {
        counts.computeIfAbsent(target, key -> new LongAdder()).increment();
    }

    private Optional<String> answer(String target) {
        return switch (target) {
            case "AmazonSQS.GetQueueUrl" ->
                Optional.of("{\"QueueUrl\":\"" + endpoint() + "/000000000000/aot-training\"}");
            // the longest visibility timeout SQS allows, so that no retry budget finds it short
            case "AmazonSQS.GetQueueAttributes" ->
                Optional.of("{\"Attributes\":{\"VisibilityTimeout\":\"43200\","
                        + "\"ApproximateNumberOfMessages\":\"0\",\"ApproximateNumberOfMessagesNotVisible\":\"0\"}}");
            case "AmazonSQS.ReceiveMessage" -> {
                sleep(EMPTY_POLL);
                yield Optional.of("{}");
            }
            case "DynamoDB_20120810.DescribeTable" ->
                Optional.of("{\"Table\":{\"TableName\":\"aot-training\",\"TableStatus\":\"ACTIVE\"}}");
            default -> Optional.empty();
        };
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Map<String, Long> snapshot(Map<String, LongAdder> counts) {
        Map<String, Long> snapshot = new TreeMap<>();
        counts.forEach((target, count) -> snapshot.put(target, count.sum()));
        return snapshot;
    }

    private static String counts(Map<String, LongAdder> counts) {
        return counts.isEmpty() ? "none" : snapshot(counts).toString();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
