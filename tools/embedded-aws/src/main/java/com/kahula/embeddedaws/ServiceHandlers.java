package com.kahula.embeddedaws;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.UnaryOperator;

/** Serves each AWS service at the gateway: EventBridge in-process, the others proxied, with the faults and counts. */
final class ServiceHandlers {

    // What an aws-chunked upload adds to a request; the gateway forwards its data alone.
    private static final Set<String> AWS_CHUNKED_HEADERS =
            Set.of("content-encoding", "x-amz-decoded-content-length", "x-amz-trailer", "x-amz-sdk-checksum-algorithm");
    // Shorter than the SDK's default read timeout, so a backend that stops answering costs one attempt, not the call.
    private static final Duration BACKEND_TIMEOUT = Duration.ofSeconds(10);
    // SQS's longest long poll (20 s) plus a margin, so ElasticMQ ends a long poll before the gateway gives up on it.
    private static final Duration LONG_POLL_TIMEOUT = Duration.ofSeconds(25);

    private final AwsGateway.Backends backends;
    private final BackendProxy proxy;
    private final GatewayFaults faults;
    private final GatewayTraffic traffic;

    ServiceHandlers(AwsGateway.Backends backends, BackendProxy proxy, GatewayFaults faults, GatewayTraffic traffic) {
        this.backends = backends;
        this.proxy = proxy;
        this.faults = faults;
        this.traffic = traffic;
    }

    /** EventBridge, answered in-process; a PutEvents answer may be held or come late, and its accepted entries count. */
    void events(HttpExchange exchange, String target, byte[] body) throws IOException, InterruptedException {
        long received = System.nanoTime();
        AwsJsonResponse response = backends.eventBridge().handle(target, body);
        if ("AWSEvents.PutEvents".equals(target) && response.status() == 200) {
            var accepted = GatewayTraffic.acceptedEntries(body, response.body());
            faults.putEventsAnswerGate().pass(() -> traffic.answerHeld(accepted));
            traffic.answered(accepted, received);
        }
        exchange.getResponseHeaders().set("Content-Type", AwsJsonResponse.CONTENT_TYPE);
        exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
        AwsGateway.send(exchange, response.status(), response.body());
    }

    /** DynamoDB, forwarded to dynalite unless PutItem is refused; UpdateItem may be held, PutItem in flight counts. */
    void dynamoDb(HttpExchange exchange, String target, byte[] body) throws IOException, InterruptedException {
        boolean putItem = "DynamoDB_20120810.PutItem".equals(target);
        if (putItem) {
            traffic.putItemStarted();
        }
        try {
            String refusal = faults.putItemRefusal();
            if (refusal != null && putItem) {
                // DynamoDB speaks JSON 1.0; the SDK reads the error type from __type
                exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.0");
                AwsGateway.send(
                        exchange,
                        400,
                        ("{\"__type\":\"com.amazonaws.dynamodb.v20120810#" + refusal
                                        + "\",\"message\":\"Injected fault: " + refusal + "\"}")
                                .getBytes(StandardCharsets.UTF_8));
            } else {
                if ("DynamoDB_20120810.UpdateItem".equals(target)) {
                    faults.updateItemGate().pass(() -> {});
                }
                proxy.forward(
                        exchange,
                        body,
                        backends.dynamoDb(),
                        BACKEND_TIMEOUT,
                        UnaryOperator.identity(),
                        Set.of(),
                        Map.of(),
                        (status, answer) -> {
                            if (putItem) {
                                traffic.putItemAnswered(status, answer);
                            }
                        });
            }
        } finally {
            if (putItem) {
                traffic.putItemEnded();
            }
        }
    }

    /** SQS, forwarded to ElasticMQ unless its connections are dropped or held; deliveries of one queue may count. */
    void sqs(HttpExchange exchange, Headers headers, byte[] body) throws IOException, InterruptedException {
        faults.beforeSqsRequest();
        boolean receive = isReceiveMessage(headers, body);
        proxy.forward(
                exchange,
                body,
                backends.sqs(),
                receive ? LONG_POLL_TIMEOUT : BACKEND_TIMEOUT,
                receive ? response -> received(body, response) : UnaryOperator.identity());
    }

    private byte[] received(byte[] request, byte[] response) {
        var answer = faults.duplicateFirstMessage(response);
        traffic.received(request, answer);
        return answer;
    }

    /**
     * S3, forwarded to s3rver, first undoing the SDKs' and the AWS CLI's {@code aws-chunked} upload encoding, which
     * s3rver would store as it is: the chunks' frames and signatures around the data, then trailing checksums.
     */
    void s3(HttpExchange exchange, byte[] body) throws IOException, InterruptedException {
        var encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
        if (encoding == null || !encoding.contains("aws-chunked")) {
            proxy.forward(exchange, body, backends.s3(), BACKEND_TIMEOUT, UnaryOperator.identity());
            return;
        }
        // s3rver does not check signatures; it only needs a payload hash it knows
        proxy.forward(
                exchange,
                AwsChunked.decode(body),
                backends.s3(),
                BACKEND_TIMEOUT,
                UnaryOperator.identity(),
                AWS_CHUNKED_HEADERS,
                Map.of("x-amz-content-sha256", "UNSIGNED-PAYLOAD"),
                (status, answer) -> {});
    }

    /** SQS ReceiveMessage, in the JSON protocol of the SDKs or the query protocol of older clients. */
    private static boolean isReceiveMessage(Headers headers, byte[] body) {
        return "AmazonSQS.ReceiveMessage".equals(headers.getFirst("X-Amz-Target"))
                || new String(body, StandardCharsets.UTF_8).contains("Action=ReceiveMessage");
    }
}
