package com.kahula.embeddedaws;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.UnaryOperator;

/** Proxies a gateway request to a backend emulator over HTTP and relays its answer, or a 502/504 when it fails. */
final class BackendProxy implements AutoCloseable {

    // The JDK HttpClient refuses to send these.
    private static final Set<String> RESTRICTED_HEADERS =
            Set.of("connection", "content-length", "expect", "host", "upgrade");
    // These describe the hop, not the message.
    private static final Set<String> HOP_HEADERS =
            Set.of("keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "date");

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    /** Forwards the request as it came; {@code rewrite} changes a 200 answer's body. */
    void forward(HttpExchange exchange, byte[] body, URI backend, Duration timeout, UnaryOperator<byte[]> rewrite)
            throws IOException, InterruptedException {
        forward(exchange, body, backend, timeout, rewrite, Set.of(), Map.of(), (status, answer) -> {});
    }

    /**
     * Forwards the request without the {@code dropped} headers (lower case) and with the {@code replaced} ones;
     * {@code answered} sees the backend's status and body before the answer is relayed.
     */
    void forward(
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
            if (!skipped(lowerCase) && !dropped.contains(lowerCase) && !replaced.containsKey(lowerCase)) {
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
            AwsGateway.send(
                    exchange,
                    504,
                    ("backend timed out after " + timeout + ": " + backend).getBytes(StandardCharsets.UTF_8));
            return;
        } catch (ExecutionException e) {
            var cause = e.getCause();
            var status = cause instanceof HttpTimeoutException ? 504 : 502;
            AwsGateway.send(
                    exchange, status, ("backend failed: " + backend + ": " + cause).getBytes(StandardCharsets.UTF_8));
            return;
        }
        answered.accept(response.statusCode(), response.body());
        var responseHeaders = exchange.getResponseHeaders();
        response.headers().map().forEach((name, values) -> {
            if (!skipped(name.toLowerCase(Locale.ROOT))) {
                responseHeaders.put(name, values);
            }
        });
        AwsGateway.send(
                exchange,
                response.statusCode(),
                response.statusCode() == 200 ? rewrite.apply(response.body()) : response.body());
    }

    /** Whether a header (lower case) stays behind at the hop, in either direction. */
    private static boolean skipped(String header) {
        return RESTRICTED_HEADERS.contains(header) || HOP_HEADERS.contains(header);
    }

    @Override
    public void close() {
        // not close(): it would wait for a long poll in flight
        client.shutdownNow();
    }
}
