package com.kahula.eventpersister.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.kahula.embeddedaws.EmbeddedAwsStack;
import com.kahula.eventpersister.EventPersisterApplication;
import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * One instance of the service on the embedded stack, in this JVM or in a process of its own, in an env of its own, with
 * the local and e2e profiles and any further settings; read from outside as an operator would, through its actuator
 * endpoints over HTTP.
 */
public final class RunningService implements AutoCloseable {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A readiness answer: the HTTP status and the body, which names the cause when DOWN. */
    public record Readiness(int status, String body) {
        public boolean up() {
            return status == 200;
        }
    }

    private final AutoCloseable instance;
    private final URI actuator;

    private RunningService(AutoCloseable instance, int port) {
        this.instance = instance;
        this.actuator = URI.create("http://localhost:" + port + "/actuator/");
    }

    /** Starts the service in this JVM, in {@code env}, with further {@code --name=value} settings. */
    public static RunningService start(EmbeddedAwsStack stack, String env, String... settings) {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(EventPersisterApplication.class)
                .profiles("local", "e2e")
                .run(arguments(stack, env, 0, settings).toArray(String[]::new));
        return new RunningService(
                context::close,
                Integer.parseInt(Objects.requireNonNull(context.getEnvironment().getProperty("local.server.port"))));
    }

    /**
     * Starts the service in a process of its own (this JVM's classpath, its output in {@code log}), in {@code env},
     * with further {@code --name=value} settings; it is ready when {@link #readiness()} says so.
     */
    public static RunningService startProcess(EmbeddedAwsStack stack, String env, Path log, String... settings)
            throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                EventPersisterApplication.class.getName(),
                "--spring.profiles.active=local,e2e"));
        command.addAll(arguments(stack, env, port, settings));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        return new RunningService(
                () -> {
                    process.destroy();
                    if (!process.waitFor(40, TimeUnit.SECONDS)) {
                        process.destroyForcibly();
                    }
                },
                port);
    }

    private static List<String> arguments(EmbeddedAwsStack stack, String env, int port, String... settings) {
        List<String> args = new ArrayList<>(List.of(
                "--spring.cloud.aws.endpoint=" + stack.endpoint(),
                "--spring.cloud.aws.region.static=" + EmbeddedAwsStack.REGION,
                "--spring.cloud.aws.credentials.access-key=" + EmbeddedAwsStack.ACCESS_KEY,
                "--spring.cloud.aws.credentials.secret-key=" + EmbeddedAwsStack.SECRET_KEY,
                "--server.port=" + port,
                "--persister.env=" + env));
        args.addAll(List.of(settings));
        return args;
    }

    /** Readiness; a service not listening yet counts as not ready, with that reason. */
    public Readiness readiness() {
        try {
            HttpResponse<String> response = get("health/readiness");
            return new Readiness(response.statusCode(), response.body());
        } catch (NotListening e) {
            return new Readiness(503, "not listening yet: " + e.getMessage());
        }
    }

    /** A gauge's value, read from {@code /actuator/metrics/{name}}. */
    public double gauge(String name) {
        try {
            JsonNode metric = JSON.readTree(get("metrics/" + name).body());
            return metric.path("measurements").path(0).path("value").asDouble(Double.NaN);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The count of the counters named {@code name} with the tag {@code key=value}, summed over their other tags, read
     * from {@code /actuator/metrics/{name}}; 0 when no such counter has been made yet.
     */
    public double counter(String name, String key, String value) {
        HttpResponse<String> response = get("metrics/" + name + "?tag=" + key + ":" + value);
        if (response.statusCode() == 404) {
            return 0;
        }
        try {
            for (JsonNode measurement : JSON.readTree(response.body()).path("measurements")) {
                if (measurement.path("statistic").asText().equals("COUNT")) {
                    return measurement.path("value").asDouble();
                }
            }
            throw new IllegalStateException(name + " has no COUNT: " + response.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The service's port does not answer yet. */
    private static final class NotListening extends RuntimeException {
        NotListening(IOException cause) {
            super(cause.toString(), cause);
        }
    }

    private HttpResponse<String> get(String path) {
        try {
            return HTTP.send(
                    HttpRequest.newBuilder(actuator.resolve(path))
                            .timeout(Duration.ofSeconds(10))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new NotListening(e);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            instance.close();
        } catch (Exception e) {
            throw new IllegalStateException("the service did not stop", e);
        }
    }
}
