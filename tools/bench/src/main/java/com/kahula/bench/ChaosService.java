package com.kahula.bench;

import com.kahula.embeddedaws.EmbeddedAwsStack;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The service under the chaos soak as a process of its own: started until ready, read, killed, stopped. */
final class ChaosService {

    private static final Duration READY_WITHIN = Duration.ofSeconds(120);

    private final ChaosOptions options;
    private final EmbeddedAwsStack stack;
    private Process process;
    private int port;
    private int starts;

    ChaosService(ChaosOptions options, EmbeddedAwsStack stack) {
        this.options = options;
        this.stack = stack;
    }

    /** Starts the packaged jar on a free port, its log under the soak's logs, and waits until it is ready. */
    void start() throws Exception {
        int port = Bench.freePort();
        this.port = port;
        starts++;
        Path log = options.logs().resolve("service-" + starts + ".log");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-jar",
                options.jar().toAbsolutePath().toString(),
                "--spring.profiles.active=local",
                // as on ECS: the ledger expects each follow-up's row to keep the trace its send started
                "--persister.tracing.enabled=true",
                "--spring.cloud.aws.endpoint=" + stack.endpoint(),
                "--persister.env=" + ChaosOptions.ENV,
                "--server.port=" + port));
        command.addAll(options.serviceArguments());
        process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest readiness = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness"))
                .timeout(Duration.ofSeconds(2))
                .build();
        long deadline = System.nanoTime() + READY_WITHIN.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the service exited; see " + log);
            }
            try {
                if (http.send(readiness, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Bench.sleep(Duration.ofMillis(200));
        }
        throw new IllegalStateException("the service was not ready within " + READY_WITHIN + "; see " + log);
    }

    /** Kills the process with SIGKILL and waits for it to die. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Stops the process, if one was started, as the soak ends. */
    void stop() throws InterruptedException {
        if (process != null) {
            process.destroy();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** The running process's counters. */
    ServiceCounters counters() throws IOException, InterruptedException {
        return ServiceCounters.read(port);
    }

    /** The running process's counters, a failure to read them thrown unchecked. */
    ServiceCounters read() {
        try {
            return counters();
        } catch (IOException e) {
            throw new IllegalStateException("could not read the service's metrics", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    int starts() {
        return starts;
    }
}
