package com.kahula.bench;

import static com.kahula.bench.Bench.sleep;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The process plumbing every launch shares: spawning with a log, readiness, liveness, the time limit, stopping. */
final class ContestantProcesses {

    private final BenchOptions options;
    private final Path logs;

    ContestantProcesses(BenchOptions options, Path logs) {
        this.options = options;
        this.logs = logs;
    }

    /** The directory of every process's log. */
    Path logs() {
        return logs;
    }

    /** The contestant's GC log in the env, which {@link AllocationRate} reads. */
    Path gcLog(String env) {
        return logs.resolve(env + "-gc.log").toAbsolutePath();
    }

    /** Starts the command, its output to the log named {@code name}. */
    Process launch(List<String> command, String name) throws IOException {
        Path log = logs.resolve(name + ".log");
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    /** Runs the command to its end, its output appended to the preparation's log; fails unless it exits with 0. */
    void exec(List<String> command) throws IOException, InterruptedException {
        Path log = logs.resolve("prepare-service.log");
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException("failed: " + String.join(" ", command) + "; see " + log);
        }
    }

    /** Runs {@code action} with the contestant's process held (SIGSTOP), and resumes it (SIGCONT) after. */
    static void whileHeld(Process process, Runnable action) throws IOException, InterruptedException {
        signal(process, "STOP");
        try {
            action.run();
        } finally {
            signal(process, "CONT");
        }
    }

    private static void signal(Process process, String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid()))
                .redirectErrorStream(true)
                .start();
        if (kill.waitFor() != 0) {
            throw new IllegalStateException("kill -" + signal + " " + process.pid() + " failed: "
                    + new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    /** Milliseconds from now (the JVM was just spawned) until /actuator/health answers UP. */
    long awaitReady(Process process, int port) {
        long spawned = System.nanoTime();
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"))
                .timeout(Duration.ofSeconds(2))
                .build();
        while (true) {
            requireAlive(process, "service");
            requireWithin(spawned, "service readiness");
            try {
                HttpResponse<String> response = http.send(health, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200 && response.body().contains("\"UP\"")) {
                    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - spawned);
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(Duration.ofMillis(10));
        }
    }

    static void stop(Process process) throws InterruptedException, IOException {
        process.destroy();
        // a process left held (SIGSTOP) takes the SIGTERM only once resumed; it may have exited since, as kill says
        new ProcessBuilder("kill", "-CONT", Long.toString(process.pid()))
                .start()
                .waitFor();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    void requireAlive(Process process, String what) {
        if (!process.isAlive()) {
            throw new IllegalStateException(what + " exited with status " + process.exitValue() + "; see " + logs);
        }
    }

    void requireWithin(long startNanos, String what) {
        if (System.nanoTime() - startNanos > TimeUnit.SECONDS.toNanos(options.timeoutSeconds())) {
            throw new IllegalStateException(what + " did not finish within " + options.timeoutSeconds() + " s");
        }
    }
}
