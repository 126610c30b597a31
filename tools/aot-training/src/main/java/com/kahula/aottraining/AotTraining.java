package com.kahula.aottraining;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Trains the image's JDK AOT cache on a start that reaches readiness and then drains {@link #EVENTS} events, in a
 * build that has no AWS.
 *
 * <p>{@code java -cp <dir> com.kahula.aottraining.AotTraining <the service's java command>}: runs {@link StandIn}, a
 * loopback stand-in for the AWS calls of a start and of the hot path, starts the command with the stand-in's endpoint,
 * a region, placeholder credentials and a free port, waits until {@code /actuator/health} answers UP, asks the liveness
 * and readiness probes once, waits until the service has stored and acknowledged every event the stand-in's queue
 * delivers, then stops the service with SIGTERM, as ECS does. The service's output goes to a temporary file, printed
 * (its last lines) only when the training fails. The JVM writes the cache ({@code -XX:AOTCacheOutput} in the command)
 * as it exits, so it holds what a start loads up to readiness (the SDK's answered calls, the listener's polls,
 * Tomcat's request path) and the method profiles of the hot path (JEP 515). A call the stand-in refused fails the
 * training: the cache would hold an error path's profiles. Uses the JDK alone: the image's JRE runs it without a class
 * path of its own.
 */
public final class AotTraining {

    static final Duration READY_WITHIN = Duration.ofMinutes(2);
    /**
     * The events drained, so that the cache holds the hot path's method profiles too; as many as the bench's
     * {@code stack-drain} training drains ({@code ServiceLaunches.DRAIN_TRAINING_MESSAGES}), to compare the two.
     */
    static final int EVENTS = 20000;

    static final Duration DRAINED_WITHIN = Duration.ofMinutes(3);
    static final Duration EXIT_WITHIN = Duration.ofMinutes(2);
    private static final int TAIL_LINES = 60;

    private AotTraining() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args[0].startsWith("-")) {
            System.err.println("usage: java -cp <dir> " + AotTraining.class.getName()
                    + " java [jvm options] -XX:AOTCacheOutput=<cache> -jar <service jar> [arguments]");
            System.exit(2);
        }
        System.exit(train(List.of(args)));
    }

    /**
     * Trains on one start of {@code command}; 0 when the service became ready, drained every event with no call
     * refused, and its cache was written.
     */
    static int train(List<String> command) throws IOException, InterruptedException {
        Optional<Path> cache = cacheOutput(command);
        try (StandIn standIn = StandIn.start(EVENTS)) {
            int port = freePort();
            List<String> full = new ArrayList<>(command);
            full.addAll(List.of("--spring.cloud.aws.endpoint=" + standIn.endpoint(), "--server.port=" + port));
            Path output = Files.createTempFile("aot-training-", ".log");
            ProcessBuilder builder =
                    new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(output.toFile());
            // the region and credentials from the environment, as on ECS (where the task role's come from the
            // container)
            builder.environment().put("AWS_REGION", StandIn.REGION);
            builder.environment().put("AWS_ACCESS_KEY_ID", "aot-training");
            builder.environment().put("AWS_SECRET_ACCESS_KEY", "aot-training");
            long started = System.nanoTime();
            Process service = builder.start();
            try {
                if (!awaitReady(service, port)) {
                    log("the service was not ready within " + READY_WITHIN.toSeconds() + " s; the stand-in "
                            + standIn.summary() + "; the last lines of its output:");
                    printTail(output);
                    return 1;
                }
                log("ready after " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) + " ms");
                if (!awaitDrained(service, standIn)) {
                    log("the service did not store and acknowledge the " + EVENTS + " events within "
                            + DRAINED_WITHIN.toSeconds() + " s; the stand-in " + standIn.summary()
                            + "; the last lines of its output:");
                    printTail(output);
                    return 1;
                }
                log("drained " + EVENTS + " events after " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)
                        + " ms; stopping it");
                service.destroy();
                if (!service.waitFor(EXIT_WITHIN.toSeconds(), TimeUnit.SECONDS)) {
                    log("the service did not exit within " + EXIT_WITHIN.toSeconds() + " s of SIGTERM");
                    printTail(output);
                    return 1;
                }
            } finally {
                service.destroyForcibly();
            }
            Files.delete(output);
            log("the stand-in " + standIn.summary());
            if (!standIn.refused().isEmpty()) {
                log("the stand-in refused calls while training: " + standIn.refused());
                return 1;
            }
        }
        if (cache.isPresent() && !Files.isRegularFile(cache.get())) {
            log("the service exited without writing " + cache.get());
            return 1;
        }
        return 0;
    }

    /** The cache the command writes as it exits, from its {@code -XX:AOTCacheOutput=}. */
    static Optional<Path> cacheOutput(List<String> command) {
        return command.stream()
                .filter(argument -> argument.startsWith("-XX:AOTCacheOutput="))
                .map(argument -> Path.of(argument.substring("-XX:AOTCacheOutput=".length())))
                .reduce((first, last) -> last);
    }

    private static boolean awaitReady(Process service, int port) throws InterruptedException {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + READY_WITHIN.toNanos();
        while (System.nanoTime() < deadline) {
            if (!service.isAlive()) {
                log("the service exited with " + service.exitValue() + " before it was ready");
                return false;
            }
            if (isUp(http, port, "/actuator/health")) {
                // the probes' own paths, which ECS and load balancers ask first
                isUp(http, port, "/actuator/health/liveness");
                isUp(http, port, "/actuator/health/readiness");
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }

    /** Waits until every event has been acknowledged, and a second more for the follow-ups' last marks. */
    private static boolean awaitDrained(Process service, StandIn standIn) throws InterruptedException {
        long deadline = System.nanoTime() + DRAINED_WITHIN.toNanos();
        while (standIn.deleted() < EVENTS) {
            if (!service.isAlive() || System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(50);
        }
        Thread.sleep(1000);
        return true;
    }

    private static boolean isUp(HttpClient http, int port, String path) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(2))
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 && response.body().contains("\"UP\"");
        } catch (IOException notListeningYet) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void printTail(Path output) throws IOException {
        List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
        lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size()).forEach(System.out::println);
    }

    private static void log(String message) {
        System.out.println("aot-training: " + message);
    }
}
