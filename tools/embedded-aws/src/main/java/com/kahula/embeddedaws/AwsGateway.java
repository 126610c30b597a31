package com.kahula.embeddedaws;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The stack's single endpoint, like LocalStack's port 4566: serves HTTP and routes each request to its service. */
final class AwsGateway implements AutoCloseable {

    /** Where the gateway sends each service's requests. */
    record Backends(URI sqs, URI dynamoDb, URI s3, EventBridgeEmulator eventBridge) {}

    private static final Logger log = LoggerFactory.getLogger(AwsGateway.class);
    private static final Pattern SIGNED_SERVICE =
            Pattern.compile("Credential=[^/,\\s]+/\\d{8}/[^/,\\s]+/([^/,\\s]+)/aws4_request");

    private final HttpServer server;
    // Platform threads: test code that pins or hogs the JVM-wide virtual-thread carriers would stall every request.
    private final ExecutorService executor = Executors.newCachedThreadPool(
            Thread.ofPlatform().daemon().name("aws-gateway-", 0).factory());
    private final BackendProxy proxy = new BackendProxy();
    private final GatewayFaults faults = new GatewayFaults();
    private final GatewayTraffic traffic = new GatewayTraffic();
    private volatile ServiceHandlers services;

    private AwsGateway(HttpServer server) {
        this.server = server;
    }

    /** Binds the port on loopback now, so the emulators can be told the gateway's address before it serves. */
    static AwsGateway bind(int port) {
        try {
            // a deep backlog: the connection pools of several SDK clients share the gateway
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
        this.services = new ServiceHandlers(backends, proxy, faults, traffic);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    GatewayFaults faults() {
        return faults;
    }

    GatewayTraffic traffic() {
        return traffic;
    }

    private void handle(HttpExchange exchange) {
        try {
            var body = exchange.getRequestBody().readAllBytes();
            var headers = exchange.getRequestHeaders();
            switch (service(headers)) {
                case "events" -> services.events(exchange, headers.getFirst("X-Amz-Target"), body);
                case "dynamodb" -> services.dynamoDb(exchange, headers.getFirst("X-Amz-Target"), body);
                case "s3" -> services.s3(exchange, body);
                default -> services.sqs(exchange, headers, body);
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

    /** Writes a response; an empty {@code body} is sent as none. */
    static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
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
        proxy.close();
        executor.shutdownNow();
    }
}
