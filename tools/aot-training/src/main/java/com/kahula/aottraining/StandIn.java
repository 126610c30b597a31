package com.kahula.aottraining;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Answers, in the AWS JSON protocol, the calls a start makes before it is ready: the queue's URL and attributes
 * (the visibility timeout check, the queue's health) and the table's description (ACTIVE); then those of the hot path,
 * for {@code events} events of {@link TrainingEvents}: the listener's polls deliver them (then come back empty after a
 * second, as a long poll on an empty queue), each store's PutItem, follow-up's PutEvents and EMITTED mark succeeds,
 * the sweeper's query finds nothing, and the acknowledgements' DeleteMessageBatch deletes. Any other call gets a 400
 * and is counted as refused.
 */
final class StandIn implements AutoCloseable {

    static final String REGION = "us-east-1";
    static final Duration EMPTY_POLL = Duration.ofSeconds(1);
    private static final String CONTENT_TYPE = "application/x-amz-json-1.0";
    private static final String PUT_METRIC_DATA = "/operation/PutMetricData";
    private static final Pattern MAX_MESSAGES = Pattern.compile("\"MaxNumberOfMessages\":(\\d+)");
    private static final Pattern ENTRY_ID = Pattern.compile("\"Id\":\"([^\"]+)\"");
    private static final Pattern RECEIPT_HANDLE = Pattern.compile("\"ReceiptHandle\":\"([^\"]+)\"");
    private static final Pattern BUS_ENTRY = Pattern.compile("\"DetailType\":");

    private final HttpServer server;
    private final ExecutorService executor;
    private final Map<String, LongAdder> answered = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> refused = new ConcurrentHashMap<>();
    private final long events;
    private final AtomicLong delivered = new AtomicLong();
    private final Set<String> deleted = ConcurrentHashMap.newKeySet();

    private StandIn(HttpServer server, ExecutorService executor, long events) {
        this.server = server;
        this.executor = executor;
        this.events = events;
    }

    /** A stand-in whose queue holds no events: a start's calls only. */
    static StandIn start() throws IOException {
        return start(0);
    }

    /** A stand-in whose queue delivers {@code events} events, once each. */
    static StandIn start(long events) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        StandIn standIn = new StandIn(server, executor, events);
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

    /** How many of the queue's messages have been deleted: their distinct receipt handles, a repeated delete once. */
    long deleted() {
        return deleted.size();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String request = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
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
            Optional<String> answer = answer(target, request);
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

    private Optional<String> answer(String target, String request) {
        return switch (target) {
            case "AmazonSQS.GetQueueUrl" ->
                Optional.of("{\"QueueUrl\":\"" + endpoint() + "/000000000000/aot-training\"}");
            // the longest visibility timeout SQS allows, so that no retry budget finds it short
            case "AmazonSQS.GetQueueAttributes" ->
                Optional.of("{\"Attributes\":{\"VisibilityTimeout\":\"43200\","
                        + "\"ApproximateNumberOfMessages\":\"0\",\"ApproximateNumberOfMessagesNotVisible\":\"0\"}}");
            case "AmazonSQS.ReceiveMessage" -> Optional.of(receive(request));
            case "AmazonSQS.DeleteMessageBatch" -> Optional.of(deleteBatch(request));
            case "DynamoDB_20120810.DescribeTable" ->
                Optional.of("{\"Table\":{\"TableName\":\"aot-training\",\"TableStatus\":\"ACTIVE\"}}");
            // a new item stored, a PENDING follow-up marked: the conditions hold, nothing is returned
            case "DynamoDB_20120810.PutItem", "DynamoDB_20120810.UpdateItem" -> Optional.of("{}");
            case "DynamoDB_20120810.Query" -> Optional.of("{\"Count\":0,\"ScannedCount\":0,\"Items\":[]}");
            case "AWSEvents.PutEvents" -> Optional.of(putEvents(request));
            default -> Optional.empty();
        };
    }

    /** Up to the poll's maximum of the events not yet delivered; none, after a second, once all were. */
    private String receive(String request) {
        Matcher max = MAX_MESSAGES.matcher(request);
        int wanted = max.find() ? Integer.parseInt(max.group(1)) : 1;
        List<String> messages = new ArrayList<>();
        for (int i = 0; i < wanted; i++) {
            long n = delivered.getAndIncrement();
            if (n >= events) {
                break;
            }
            String body = TrainingEvents.event(n);
            messages.add(
                    "{\"MessageId\":\"%s\",\"ReceiptHandle\":\"receipt-%d\",\"MD5OfBody\":\"%s\",\"Body\":%s,\"Attributes\":{\"ApproximateReceiveCount\":\"1\"}}"
                            .formatted(TrainingEvents.messageId(n), n, md5(body), jsonString(body)));
        }
        if (messages.isEmpty()) {
            sleep(EMPTY_POLL);
            return "{}";
        }
        return "{\"Messages\":[" + String.join(",", messages) + "]}";
    }

    private String deleteBatch(String request) {
        List<String> successful = new ArrayList<>();
        Matcher id = ENTRY_ID.matcher(request);
        while (id.find()) {
            successful.add("{\"Id\":\"" + id.group(1) + "\"}");
        }
        Matcher receipt = RECEIPT_HANDLE.matcher(request);
        while (receipt.find()) {
            deleted.add(receipt.group(1));
        }
        return "{\"Successful\":[" + String.join(",", successful) + "],\"Failed\":[]}";
    }

    private static String putEvents(String request) {
        List<String> entries = new ArrayList<>();
        Matcher entry = BUS_ENTRY.matcher(request);
        while (entry.find()) {
            entries.add("{\"EventId\":\"" + UUID.randomUUID() + "\"}");
        }
        return "{\"FailedEntryCount\":0,\"Entries\":[" + String.join(",", entries) + "]}";
    }

    private static String md5(String body) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("MD5").digest(body.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code text} as a JSON string: the training's events hold no control characters, only quotes to escape. */
    private static String jsonString(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
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
