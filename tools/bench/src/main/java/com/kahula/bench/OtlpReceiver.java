package com.kahula.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A local stand-in for the collector sidecar: takes OTLP/HTTP trace exports on loopback, answers each with an empty
 * (valid) protobuf response, and counts the requests and bytes, so that a run shows the traced contestants exported
 * and the untraced did not.
 */
final class OtlpReceiver implements AutoCloseable {

    /** Requests and bytes taken so far. */
    record Received(long requests, long bytes) {
        Received since(Received earlier) {
            return new Received(requests - earlier.requests, bytes - earlier.bytes);
        }
    }

    private final HttpServer server;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();

    private OtlpReceiver(HttpServer server) {
        this.server = server;
    }

    static OtlpReceiver start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        OtlpReceiver receiver = new OtlpReceiver(server);
        server.createContext("/v1/traces", receiver::handle);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        return receiver;
    }

    /** The URL the service's OTLP trace exporter posts to. */
    URI tracesEndpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1/traces");
    }

    Received received() {
        return new Received(requests.get(), bytes.get());
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange;
                InputStream body = exchange.getRequestBody()) {
            bytes.addAndGet(body.transferTo(java.io.OutputStream.nullOutputStream()));
            requests.incrementAndGet();
            exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, -1);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
