package com.kahula.bench.cost;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The recorder passes each call through unchanged, over one kept-alive connection, and records it. */
class AwsCallRecorderTests {

    private HttpServer server;
    private AwsCallRecorder recorder;
    private final HttpClient client =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void startAServerAnsweringByAction() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String action = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            byte[] request = exchange.getRequestBody().readAllBytes();
            byte[] answer = ("{\"echo\": \"" + new String(request, StandardCharsets.UTF_8) + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
            switch (action) {
                // a length of 0 makes the JDK's server answer in chunks
                case "Svc.Chunked" -> exchange.sendResponseHeaders(200, 0);
                case "Svc.Refused" -> exchange.sendResponseHeaders(400, answer.length);
                default -> exchange.sendResponseHeaders(200, answer.length);
            }
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        });
        server.start();
        recorder = AwsCallRecorder.start(
                URI.create("http://127.0.0.1:" + server.getAddress().getPort()), action -> action.equals("Svc.Kept"));
    }

    @AfterEach
    void stop() throws IOException {
        recorder.close();
        server.stop(0);
    }

    @Test
    void recordsEachCallsActionRequestStatusAndTheAnswersItKeeps() throws Exception {
        assertThat(send("Svc.Kept", "one")).isEqualTo("200 {\"echo\": \"one\"}");
        assertThat(send("Svc.Chunked", "two")).isEqualTo("200 {\"echo\": \"two\"}");
        assertThat(send("Svc.Refused", "three")).isEqualTo("400 {\"echo\": \"three\"}");
        assertThat(send("Svc.Kept", "four")).isEqualTo("200 {\"echo\": \"four\"}");

        assertThat(recorder.take())
                .extracting(
                        AwsCall::action,
                        call -> new String(call.request(), StandardCharsets.UTF_8),
                        AwsCall::status,
                        call -> new String(call.answer(), StandardCharsets.UTF_8))
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("Svc.Kept", "one", 200, "{\"echo\": \"one\"}"),
                        // not kept: a success of an action the recorder was not told to keep
                        org.assertj.core.groups.Tuple.tuple("Svc.Chunked", "two", 200, ""),
                        // kept: a refusal says why
                        org.assertj.core.groups.Tuple.tuple("Svc.Refused", "three", 400, "{\"echo\": \"three\"}"),
                        org.assertj.core.groups.Tuple.tuple("Svc.Kept", "four", 200, "{\"echo\": \"four\"}"));
        assertThat(recorder.take()).isEmpty();
    }

    private String send(String action, String body) throws Exception {
        HttpResponse<String> response = client.send(
                HttpRequest.newBuilder(recorder.endpoint().resolve("/"))
                        .header("X-Amz-Target", action)
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return response.statusCode() + " " + response.body();
    }
}
