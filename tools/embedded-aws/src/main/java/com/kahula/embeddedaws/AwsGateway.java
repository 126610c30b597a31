package com.kahula.embeddedaws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single endpoint of the stack, like LocalStack's port 4566: routes each request by the service it is signed
 * for, answering EventBridge in-process and proxying SQS to ElasticMQ, DynamoDB to dynalite and S3 (path-style) to
 * s3rver.
 */
final class AwsGateway implements AutoCloseable {

    /** Where the gateway sends each service's requests. */
    record Backends(URI sqs, URI dynamoDb, URI s3, EventBridgeEmulator eventBridge) {}

    private static final Logger log = LoggerFactory.getLogger(AwsGateway.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SIGNED_SERVICE =
            Pattern.compile("Credential=[^/,\\s]+/\\d{8}/[^/,\\s]+/([^/,\\s]+)/aws4_request");
    // The JDK HttpClient refuses the first five; the rest describe the hop, not the message.
    private static final Set<String> HOP_HEADERS = Set.of(
            "connection",
            "content-length",
            "expect",
            "host",
            "upgrade",
            "keep-alive",
            "proxy-connection",
            "te",
            "trailer",
            "transfer-encoding",
            "date");
    // What an aws-chunked upload adds to a request; the gateway forwards its data alone.
    private static final Set<String> AWS_CHUNKED_HEADERS =
            Set.of("content-encoding", "x-amz-decoded-content-length", "x-amz-trailer", "x-amz-sdk-checksum-algorithm");
    // Shorter than the SDK's 30 s read timeout, so a backend that stops answering costs one attempt, not the call.
    private static final Duration BACKEND_TIMEOUT = Duration.ofSeconds(10);
    // SQS's longest long poll (20 s) plus a margin; ElasticMQ itself gives up after 21 s.
    private static final Duration LONG_POLL_TIMEOUT = Duration.ofSeconds(25);
    // An answer this late may have found its caller gone: a caller that times out its calls waits about this long.
    private static final Duration SLOW_ANSWER = Duration.ofSeconds(1);

    private final HttpServer server;
    // Platform threads, for the server and (by default) the client: on the JVM-wide virtual-thread scheduler, any
    // test code that pins or hogs its few carriers (as many as cores) would stall every request, for good.
    private final ExecutorService executor = Executors.newCachedThreadPool(
            Thread.ofPlatform().daemon().name("aws-gateway-", 0).factory());
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private volatile Backends backends;
    private final AtomicInteger receivesToDuplicate = new AtomicInteger();
    private volatile String refusedPutItem;
    private final Gate sqsGate = new Gate();
    private final Gate updateItemGate = new Gate();
    private final Gate putEventsAnswerGate = new Gate();
    private volatile boolean droppingSqs;
    private final LongAdder droppedSqsRequests = new LongAdder();
    private final AtomicInteger putItemsInFlight = new AtomicInteger();
    private final LongAdder conditionFailedPutItems = new LongAdder();
    private final Map<String, LongAdder> heldAcceptedEntries = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> slowAcceptedEntries = new ConcurrentHashMap<>();
    private volatile String deliveriesOf;
    private final Map<String, Integer> deliveries = new ConcurrentHashMap<>();
    private final LongAdder delivered = new LongAdder();
    private final Set<String> answeredDetailIds = ConcurrentHashMap.newKeySet();

    private AwsGateway(HttpServer server) {
        this.server = server;
    }

    /** Binds the port on loopback now, so the emulators can be told the gateway's address before it serves. */
    static AwsGateway bind(int port) {
        try {
            // the SDK pools up to 50 connections per client, several clients share the gateway
            var server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1024);
            return new AwsGateway(server);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind the embedded AWS gateway to port " + port, e);
        }
    }

    int port() {
        return server.getAddress().getPort();
    }

    void start(Backends backends) {
        this.backends = backends;
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    private void handle(HttpExchange exchange) {
        try {
            var body = exchange.getRequestBody().readAllBytes();
            var headers = exchange.getRequestHeaders();
            switch (service(headers)) {
                case "events" -> events(exchange, headers.getFirst("X-Amz-Target"), body);
                case "dynamodb" -> dynamoDb(exchange, headers.getFirst("X-Amz-Target"), body);
                case "s3" -> forwardToS3(exchange, body);
                default -> sqs(exchange, headers, body);
            }
        } catch (ConnectionDropped e) {
            // closing below without a response makes the JDK server close the connection
        } catch (IOException e) {
            // the client went away, e.g. the SDK gave up on a paused dynalite
            log.debug("Gateway could not answer {}: {}", exchange.getRequestURI(), e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            exchange.close();
        }
    }

    /** EventBridge, answered in-process; a PutEvents answer may be held or come late, and its accepted entries count. */
    private void events(HttpExchange exchange, String target, byte[] body) throws IOException, InterruptedException {
        long received = System.nanoTime();
        AwsJsonResponse response = backends.eventBridge().handle(target, body);
        if ("AWSEvents.PutEvents".equals(target) && response.status() == 200) {
            List<AcceptedEntry> accepted = acceptedEntries(body, response.body());
            putEventsAnswerGate.pass(() -> count(heldAcceptedEntries, accepted));
            if (System.nanoTime() - received > SLOW_ANSWER.toNanos()) {
                count(slowAcceptedEntries, accepted);
            }
            accepted.forEach(entry -> answeredDetailIds.add(entry.detailId()));
        }
        answer(exchange, response);
    }

    /** DynamoDB, forwarded to dynalite unless PutItem is refused; UpdateItem may be held, PutItem in flight counts. */
    private void dynamoDb(HttpExchange exchange, String target, byte[] body) throws IOException, InterruptedException {
        boolean putItem = "DynamoDB_20120810.PutItem".equals(target);
        if (putItem) {
            putItemsInFlight.incrementAndGet();
        }
        try {
            String refusal = refusedPutItem;
            if (refusal != null && putItem) {
                // DynamoDB speaks JSON 1.0; the SDK reads the error type from __type
                exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.0");
                send(
                        exchange,
                        400,
                        ("{\"__type\":\"com.amazonaws.dynamodb.v20120810#" + refusal
                                        + "\",\"message\":\"Injected fault: " + refusal + "\"}")
                                .getBytes(StandardCharsets.UTF_8));
            } else {
                if ("DynamoDB_20120810.UpdateItem".equals(target)) {
                    updateItemGate.pass(() -> {});
                }
                forward(
                        exchange,
                        body,
                        backends.dynamoDb(),
                        BACKEND_TIMEOUT,
                        UnaryOperator.identity(),
                        Set.of(),
                        Map.of(),
                        (status, answer) -> {
                            if (putItem && status == 400 && conditionFailed(answer)) {
                                conditionFailedPutItems.increment();
                            }
                        });
            }
        } finally {
            if (putItem) {
                putItemsInFlight.decrementAndGet();
            }
        }
    }

    /** SQS, forwarded to ElasticMQ unless its connections are dropped or held; deliveries of one queue may count. */
    private void sqs(HttpExchange exchange, Headers headers, byte[] body) throws IOException, InterruptedException {
        if (droppingSqs) {
            droppedSqsRequests.increment();
            throw new ConnectionDropped();
        }
        sqsGate.pass(() -> {});
        boolean receive = isReceiveMessage(headers, body);
        forward(
                exchange,
                body,
                backends.sqs(),
                receive ? LONG_POLL_TIMEOUT : BACKEND_TIMEOUT,
                receive
                        ? response -> recordDeliveries(body, duplicateFirstMessage(response))
                        : UnaryOperator.identity());
    }

    /** The AWS service a request is for: its SigV4 scope, else its X-Amz-Target, else SQS's query protocol. */
    static String service(Headers headers) {
        var authorization = headers.getFirst("Authorization");
        if (authorization != null) {
            var matcher = SIGNED_SERVICE.matcher(authorization);
            if (matcher.find()) {
                return matcher.group(1);
            }
        }
        var target = headers.getFirst("X-Amz-Target");
        if (target != null) {
            if (target.startsWith("AWSEvents.")) {
                return "events";
            }
            if (target.startsWith("DynamoDB_")) {
                return "dynamodb";
            }
        }
        return "sqs";
    }

    private static void answer(HttpExchange exchange, AwsJsonResponse response) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", AwsJsonResponse.CONTENT_TYPE);
        exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
        send(exchange, response.status(), response.body());
    }

    /**
     * Makes the next {@code receives} ReceiveMessage responses that hold at least two messages carry their first
     * message twice, as SQS's at-least-once delivery may: the same message id twice in one batch.
     */
    void duplicateFirstMessageOfNextReceives(int receives) {
        receivesToDuplicate.set(receives);
    }

    /**
     * Answers every DynamoDB PutItem with the 400 error {@code errorType} (e.g. AccessDeniedException), as a revoked
     * permission would, or forwards them again when {@code errorType} is null; other DynamoDB calls pass.
     */
    void refusePutItem(String errorType) {
        refusedPutItem = errorType;
    }

    Gate sqsGate() {
        return sqsGate;
    }

    Gate updateItemGate() {
        return updateItemGate;
    }

    Gate putEventsAnswerGate() {
        return putEventsAnswerGate;
    }

    void dropSqsConnections(boolean dropping) {
        droppingSqs = dropping;
    }

    long droppedSqsRequests() {
        return droppedSqsRequests.sum();
    }

    int putItemsInFlight() {
        return putItemsInFlight.get();
    }

    long conditionFailedPutItems() {
        return conditionFailedPutItems.sum();
    }

    Map<String, Long> heldAcceptedEntries() {
        return sums(heldAcceptedEntries);
    }

    Map<String, Long> slowAcceptedEntries() {
        return sums(slowAcceptedEntries);
    }

    private static Map<String, Long> sums(Map<String, LongAdder> counts) {
        Map<String, Long> sums = new java.util.TreeMap<>();
        counts.forEach((type, count) -> sums.put(type, count.sum()));
        return sums;
    }

    private static void count(Map<String, LongAdder> counts, List<AcceptedEntry> accepted) {
        accepted.forEach(entry -> counts.computeIfAbsent(entry.detailType(), type -> new LongAdder())
                .increment());
    }

    /** The detail ids of the entries whose acceptance was answered, not held, since the last call; forgets them. */
    Set<String> takeAnsweredDetailIds() {
        Set<String> taken = new java.util.HashSet<>();
        for (String id : answeredDetailIds) {
            if (answeredDetailIds.remove(id)) {
                taken.add(id);
            }
        }
        return taken;
    }

    /** An entry PutEvents accepted: its detail-type, and its detail's {@code id} (empty when it has none). */
    private record AcceptedEntry(String detailType, String detailId) {}

    private static boolean conditionFailed(byte[] answer) {
        return new String(answer, StandardCharsets.UTF_8).contains("ConditionalCheckFailedException");
    }

    /** Counts, from now on, each message that ReceiveMessage answers on the queue named {@code queueName}, by its id. */
    void recordDeliveries(String queueName) {
        deliveries.clear();
        delivered.reset();
        deliveriesOf = queueName;
    }

    Map<String, Integer> deliveries() {
        return Map.copyOf(deliveries);
    }

    long delivered() {
        return delivered.sum();
    }

    private byte[] recordDeliveries(byte[] request, byte[] response) {
        String queueName = deliveriesOf;
        if (queueName == null) {
            return response;
        }
        try {
            if (!JSON.readTree(request).path("QueueUrl").asText().endsWith("/" + queueName)) {
                return response;
            }
            for (JsonNode message : JSON.readTree(response).path("Messages")) {
                deliveries.merge(message.path("MessageId").asText(), 1, Integer::sum);
                delivered.increment();
            }
        } catch (IOException e) {
            // not the JSON protocol: nothing recorded
        }
        return response;
    }

    /** The entries a PutEvents answer accepted: the answer's entries are the request's, in order. */
    private static List<AcceptedEntry> acceptedEntries(byte[] putEventsRequest, byte[] putEventsAnswer) {
        try {
            JsonNode sent = JSON.readTree(putEventsRequest).path("Entries");
            JsonNode answered = JSON.readTree(putEventsAnswer).path("Entries");
            List<AcceptedEntry> accepted = new java.util.ArrayList<>();
            for (int i = 0; i < answered.size(); i++) {
                if (answered.get(i).has("EventId")) {
                    JsonNode entry = sent.path(i);
                    accepted.add(new AcceptedEntry(
                            entry.path("DetailType").asText(),
                            JSON.readTree(entry.path("Detail").asText("{}"))
                                    .path("id")
                                    .asText()));
                }
            }
            return accepted;
        } catch (IOException e) {
            return List.of();
        }
    }

    private byte[] duplicateFirstMessage(byte[] response) {
        if (receivesToDuplicate.get() <= 0) {
            return response;
        }
        try {
            JsonNode tree = JSON.readTree(response);
            if (!(tree.get("Messages") instanceof ArrayNode messages) || messages.size() < 2) {
                return response;
            }
            if (receivesToDuplicate.getAndDecrement() <= 0) {
                return response;
            }
            ObjectNode copy = messages.get(0).deepCopy();
            messages.add(copy);
            return JSON.writeValueAsBytes(tree);
        } catch (IOException e) {
            return response;
        }
    }

    private void forward(
            HttpExchange exchange, byte[] body, URI backend, Duration timeout, UnaryOperator<byte[]> rewrite)
            throws IOException, InterruptedException {
        forward(exchange, body, backend, timeout, rewrite, Set.of(), Map.of(), (status, answer) -> {});
    }

    /** Forwards the request without the {@code dropped} headers (lower case) and with the {@code replaced} ones. */
    private void forward(
            HttpExchange exchange,
            byte[] body,
            URI backend,
            Duration timeout,
            UnaryOperator<byte[]> rewrite,
            Set<String> dropped,
            Map<String, String> replaced,
            BiConsumer<Integer, byte[]> answered)
            throws IOException, InterruptedException {
        var uri = exchange.getRequestURI();
        var target = backend.resolve(uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
        var request = HttpRequest.newBuilder(target)
                .timeout(timeout)
                .method(
                        exchange.getRequestMethod(),
                        body.length == 0
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.getRequestHeaders().forEach((name, values) -> {
            var lowerCase = name.toLowerCase(Locale.ROOT);
            if (!HOP_HEADERS.contains(lowerCase) && !dropped.contains(lowerCase) && !replaced.containsKey(lowerCase)) {
                values.forEach(value -> request.header(name, value));
            }
        });
        replaced.forEach(request::header);
        var pending = client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        HttpResponse<byte[]> response;
        try {
            // the request timeout ends at the response headers; this bound also covers the body
            response = pending.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            pending.cancel(true);
            send(
                    exchange,
                    504,
                    ("backend timed out after " + timeout + ": " + backend).getBytes(StandardCharsets.UTF_8));
            return;
        } catch (ExecutionException e) {
            var cause = e.getCause();
            var status = cause instanceof HttpTimeoutException ? 504 : 502;
            send(exchange, status, ("backend failed: " + backend + ": " + cause).getBytes(StandardCharsets.UTF_8));
            return;
        }
        answered.accept(response.statusCode(), response.body());
        var responseHeaders = exchange.getResponseHeaders();
        response.headers().map().forEach((name, values) -> {
            if (!HOP_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                responseHeaders.put(name, values);
            }
        });
        send(
                exchange,
                response.statusCode(),
                response.statusCode() == 200 ? rewrite.apply(response.body()) : response.body());
    }

    /**
     * Forwards an S3 request to s3rver, first undoing the SDKs' and the AWS CLI's {@code aws-chunked} upload encoding,
     * which s3rver would store as it is: the chunks' frames and signatures around the data, then trailing checksums.
     */
    private void forwardToS3(HttpExchange exchange, byte[] body) throws IOException, InterruptedException {
        var headers = exchange.getRequestHeaders();
        var encoding = headers.getFirst("Content-Encoding");
        if (encoding == null || !encoding.contains("aws-chunked")) {
            forward(exchange, body, backends.s3(), BACKEND_TIMEOUT, UnaryOperator.identity());
            return;
        }
        // s3rver does not check signatures; it only needs a payload hash it knows
        forward(
                exchange,
                decodeAwsChunked(body),
                backends.s3(),
                BACKEND_TIMEOUT,
                UnaryOperator.identity(),
                AWS_CHUNKED_HEADERS,
                Map.of("x-amz-content-sha256", "UNSIGNED-PAYLOAD"),
                (status, answer) -> {});
    }

    /** The data of an {@code aws-chunked} body: chunks of {@code <hex size>[;extensions]\r\n<data>\r\n} to size 0. */
    static byte[] decodeAwsChunked(byte[] body) {
        var data = new java.io.ByteArrayOutputStream(body.length);
        int at = 0;
        while (true) {
            int lineEnd = indexOfCrLf(body, at);
            var header = new String(body, at, lineEnd - at, StandardCharsets.US_ASCII);
            int size = Integer.parseInt(header.split(";", 2)[0].strip(), 16);
            if (size == 0) {
                return data.toByteArray();
            }
            data.write(body, lineEnd + 2, size);
            at = lineEnd + 2 + size + 2;
        }
    }

    private static int indexOfCrLf(byte[] body, int from) {
        for (int i = from; i + 1 < body.length; i++) {
            if (body[i] == '\r' && body[i + 1] == '\n') {
                return i;
            }
        }
        throw new IllegalArgumentException("aws-chunked body without a chunk header at byte " + from);
    }

    /** SQS ReceiveMessage, in the JSON protocol of the SDKs or the query protocol of older clients. */
    private static boolean isReceiveMessage(Headers headers, byte[] body) {
        return "AmazonSQS.ReceiveMessage".equals(headers.getFirst("X-Amz-Target"))
                || new String(body, StandardCharsets.UTF_8).contains("Action=ReceiveMessage");
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        // -1 tells the JDK server there is no body; 0 would mean chunked
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (var out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        // not close(): it would wait for a long poll in flight
        client.shutdownNow();
        executor.shutdownNow();
    }
}
