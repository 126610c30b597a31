package com.kahula.bench;

import static com.kahula.bench.Bench.deleteRecursively;
import static com.kahula.bench.Bench.freePort;
import static com.kahula.bench.Bench.log;
import static com.kahula.bench.Bench.sleep;
import static com.kahula.bench.BenchStack.queueName;
import static com.kahula.bench.BenchStack.tableName;

import com.kahula.aottraining.AotTraining;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Starts and stops the contestants' JVMs: the service prepared as it ships, each command line, readiness. */
final class Contestants {

    private static final String SERVICE_IN_FLIGHT = "--persister.listener.max-concurrent-messages=";

    private final BenchOptions options;
    private final BenchStack stack;
    private final Path logs;
    private final String java;
    private final String classpath;
    private List<String> serviceLaunch;
    private List<String> baselineLaunch;
    private Double plainJarReadySeconds;

    private Contestants(BenchOptions options, BenchStack stack, Path logs, String java, String classpath) {
        this.options = options;
        this.stack = stack;
        this.logs = logs;
        this.java = java;
        this.classpath = classpath;
    }

    /** Prepares the service and the baseline, if among the contestants, before any of them is timed. */
    static Contestants prepare(BenchOptions options, BenchStack stack, Path logs, String java, String classpath)
            throws Exception {
        Contestants contestants = new Contestants(options, stack, logs, java, classpath);
        contestants.prepare();
        return contestants;
    }

    private void prepare() throws Exception {
        if (options.contestants().stream().anyMatch(c -> c.isService() && c != Contestant.BASELINE)) {
            serviceLaunch =
                    prepareService(options.serviceJar(), "service", options.serviceJvmOptions(), options.aotTraining());
            measurePlainJarReadiness();
        }
        if (options.contestants().contains(Contestant.BASELINE)) {
            baselineLaunch = serviceLaunch != null
                            && options.baselineJar().equals(options.serviceJar())
                            && options.baselineJvmOptions().equals(options.serviceJvmOptions())
                            && options.baselineAotTraining() == options.aotTraining()
                    ? serviceLaunch
                    : prepareService(
                            options.baselineJar(),
                            "baseline",
                            options.baselineJvmOptions(),
                            options.baselineAotTraining());
        }
    }

    /** Seconds the plain {@code java -jar} of the service took to be ready; null when no service runs. */
    Double plainJarReadySeconds() {
        return plainJarReadySeconds;
    }

    /**
     * The service as it ships in an image: the jar extracted by Spring Boot's jarmode tools, with a JDK AOT cache
     * (JEP 483/514/515) trained as the Dockerfile trains it, by {@link AotTraining} on a start that becomes ready
     * against its stand-in for AWS and is then stopped (or, with {@code --aot-training}, the two other ways measured);
     * plus one start of the plain jar for comparison of readiness.
     */
    private List<String> prepareService(
            Path serviceJar, String name, List<String> jvmOptions, BenchOptions.AotTrainingMode mode) throws Exception {
        Path jar = serviceJar.toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(
                    "no service jar at " + jar + ": run ./mvnw -DskipTests package in the repository's root first");
        }
        if (!options.serviceAotCache()) {
            return concat(jvmOptions, List.of("-jar", jar.toString()));
        }
        Path extracted = options.outputDirectory().resolve(name).toAbsolutePath();
        deleteRecursively(extracted);
        exec(List.of(
                java, "-Djarmode=tools", "-jar", jar.toString(), "extract", "--destination", extracted.toString()));
        Path extractedJar = extracted.resolve(jar.getFileName());
        Path cache = extracted.resolve("app.aot");
        List<String> training = new ArrayList<>(List.of(java));
        training.addAll(options.jvmOptions());
        training.addAll(jvmOptions);
        training.add("-XX:AOTCacheOutput=" + cache);
        log("training the AOT cache of " + jar.getFileName() + " (" + mode.label() + ")");
        switch (mode) {
            case IMAGE -> {
                training.addAll(List.of("-jar", extractedJar.toString()));
                List<String> image = new ArrayList<>(List.of(java, "-cp", classpath, AotTraining.class.getName()));
                image.addAll(training);
                exec(image);
            }
            case ON_REFRESH -> {
                String env = name + "-aot-training";
                stack.provision(env);
                training.add("-Dspring.context.exit=onRefresh");
                training.addAll(List.of("-jar", extractedJar.toString()));
                training.addAll(serviceArguments(env, freePort()));
                exec(training);
                stack.dispose(env);
            }
            case STACK -> {
                String env = name + "-aot-training";
                stack.provision(env);
                int trainingPort = freePort();
                training.addAll(List.of("-jar", extractedJar.toString()));
                training.addAll(serviceArguments(env, trainingPort));
                Process process = launch(training, "aot-training");
                awaitReady(process, trainingPort);
                process.destroy();
                // the JVM writes the cache as it exits
                if (!process.waitFor(3, TimeUnit.MINUTES)) {
                    process.destroyForcibly();
                    throw new IllegalStateException("the AOT cache training did not exit; see " + logs);
                }
                stack.dispose(env);
            }
        }
        return concat(jvmOptions, List.of("-XX:AOTCache=" + cache, "-jar", extractedJar.toString()));
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return List.copyOf(all);
    }

    /** The plain {@code java -jar} of the service, for the record: readiness only. */
    private void measurePlainJarReadiness() throws Exception {
        String env = "plain-jar";
        stack.provision(env);
        int port = freePort();
        List<String> plain = new ArrayList<>(List.of(java));
        plain.addAll(options.jvmOptions());
        plain.addAll(List.of("-jar", options.serviceJar().toAbsolutePath().toString()));
        plain.addAll(serviceArguments(env, port));
        Process process = launch(plain, env);
        try {
            plainJarReadySeconds = awaitReady(process, port) / 1000.0;
            log("plain jar ready in %.2f s".formatted(plainJarReadySeconds));
        } finally {
            stop(process);
            stack.dispose(env);
        }
    }

    /**
     * Seconds to readiness of {@code starts} starts of each of {@code measured} (the service as it ships, the
     * baseline), each on a queue and table of its own and stopped once ready: the start-up figure, apart from the
     * drains. The starts are interleaved, one of each contestant per round in an order rotated between rounds, so that
     * the machine's drift over the minutes they take weighs on each alike.
     */
    Map<Contestant, List<Double>> readinessOfStarts(List<Contestant> measured, int starts) throws Exception {
        Map<Contestant, List<Double>> seconds = new EnumMap<>(Contestant.class);
        for (Contestant contestant : measured) {
            stack.provision(env(contestant));
            seconds.put(contestant, new ArrayList<>());
        }
        try {
            for (int round = 0; round < starts; round++) {
                List<Contestant> order = new ArrayList<>(measured);
                Collections.rotate(order, -round);
                for (Contestant contestant : order) {
                    int port = freePort();
                    Process process = launch(contestant, env(contestant), port);
                    try {
                        seconds.get(contestant).add(awaitReady(process, port) / 1000.0);
                    } finally {
                        stop(process);
                    }
                }
            }
        } finally {
            for (Contestant contestant : measured) {
                stack.dispose(env(contestant));
            }
        }
        seconds.forEach((contestant, each) ->
                log("%s readiness of %d starts: %s s".formatted(contestant.label(), starts, each)));
        return seconds;
    }

    private static String env(Contestant contestant) {
        return "starts-" + contestant.label();
    }

    /** Starts the contestant's JVM on the env's queue and table, its output to the env's log. */
    Process launch(Contestant contestant, String env, int port) throws IOException {
        return launch(command(contestant, env, port), env);
    }

    /** The contestant's GC log in the env, which {@link AllocationRate} reads. */
    Path gcLog(String env) {
        return logs.resolve(env + "-gc.log").toAbsolutePath();
    }

    private List<String> command(Contestant contestant, String env, int port) {
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(options.jvmOptions());
        command.add("-Xlog:gc:file=" + gcLog(env) + ":uptimenanos");
        switch (contestant) {
            case FLOOR -> {
                command.addAll(List.of("-cp", classpath, FloorConsumerMain.class.getName()));
                command.addAll(List.of(
                        stack.contestantSqs().toString(),
                        stack.contestantDynamoDb().toString(),
                        queueName(env),
                        tableName(env)));
                command.addAll(inFlightArguments(contestant, options));
            }
            case NAIVE -> {
                command.addAll(List.of("-cp", classpath, NaiveConsumerMain.class.getName()));
                command.addAll(List.of(
                        // not the service's application.yml, which is on this classpath too
                        "--spring.config.name=naive",
                        "--spring.main.web-application-type=none",
                        "--spring.cloud.aws.region.static=us-east-1",
                        "--spring.cloud.aws.credentials.access-key=test",
                        "--spring.cloud.aws.credentials.secret-key=test",
                        "--spring.cloud.aws.sqs.endpoint=" + stack.contestantSqs(),
                        "--spring.cloud.aws.dynamodb.endpoint=" + stack.contestantDynamoDb(),
                        "--management.cloudwatch.metrics.export.enabled=false",
                        "--bench.queue=" + queueName(env),
                        "--bench.table=" + tableName(env)));
                command.addAll(inFlightArguments(contestant, options));
            }
            case SERVICE -> {
                command.addAll(serviceLaunch);
                command.addAll(serviceArguments(env, port));
                command.addAll(inFlightArguments(contestant, options));
            }
            case SERVICE_STORE_ONLY -> {
                command.addAll(serviceLaunch);
                command.addAll(serviceArguments(env, port));
                command.addAll(inFlightArguments(contestant, options));
                command.add(Contestant.NO_FOLLOW_UP_RULES);
            }
            case BASELINE -> {
                command.addAll(baselineLaunch);
                command.addAll(serviceArguments(env, port));
                command.addAll(inFlightArguments(contestant, options));
                command.addAll(options.baselineArguments());
            }
        }
        return command;
    }

    /**
     * How each contestant takes {@code --in-flight}, the one limit of messages in flight they all run at: the floor as
     * its last two arguments (with the service's poll size), the naive as its container's
     * {@code max-concurrent-messages}, the service as its own. A baseline that sets the service's setting itself runs
     * at that instead, the A/B it is for: given twice as arguments, Spring would join the two values and refuse them.
     */
    static List<String> inFlightArguments(Contestant contestant, BenchOptions options) {
        String inFlight = Integer.toString(options.inFlight());
        return switch (contestant) {
            case FLOOR -> List.of(inFlight, Integer.toString(BenchOptions.MESSAGES_PER_POLL));
            case NAIVE -> List.of("--spring.cloud.aws.sqs.listener.max-concurrent-messages=" + inFlight);
            case SERVICE, SERVICE_STORE_ONLY -> List.of(SERVICE_IN_FLIGHT + inFlight);
            case BASELINE -> baselineSetsInFlight(options) ? List.of() : List.of(SERVICE_IN_FLIGHT + inFlight);
        };
    }

    /**
     * Whether the baseline's arguments ({@code --name=value}) or JVM flags ({@code -Dname=value}) set the service's
     * in-flight limit, in any of the forms Spring binds ({@code max-concurrent-messages}, {@code maxConcurrentMessages}).
     */
    static boolean baselineSetsInFlight(BenchOptions options) {
        String setting = canonical(SERVICE_IN_FLIGHT.substring(2, SERVICE_IN_FLIGHT.length() - 1));
        return Stream.concat(
                        options.baselineArguments().stream()
                                .filter(argument -> argument.startsWith("--"))
                                .map(argument -> argument.substring(2)),
                        options.baselineJvmOptions().stream()
                                .filter(option -> option.startsWith("-D"))
                                .map(option -> option.substring(2)))
                .map(property -> canonical(property.split("=", 2)[0]))
                .anyMatch(setting::equals);
    }

    private static String canonical(String name) {
        return name.replace("-", "").toLowerCase(Locale.ROOT);
    }

    boolean emitsFollowUps(Contestant contestant) {
        return switch (contestant) {
            case FLOOR, NAIVE, SERVICE_STORE_ONLY -> false;
            case SERVICE -> true;
            case BASELINE -> !options.baselineArguments().contains(Contestant.NO_FOLLOW_UP_RULES);
        };
    }

    /**
     * The service as it starts in its image on ECS: with the Spring AOT code (the bench's default service JVM option),
     * so the ecs profile, without provisioning (the stack has provisioned the queue and table, as the ECS stack does),
     * with the embedded stack's endpoints, region and placeholder credentials given as the {@code local} profile would.
     * The ecs profile's CloudWatch export is on, as on ECS; the stack refuses its calls.
     */
    private List<String> serviceArguments(String env, int port) {
        return List.of(
                "--spring.cloud.aws.region.static=us-east-1",
                "--spring.cloud.aws.credentials.access-key=test",
                "--spring.cloud.aws.credentials.secret-key=test",
                "--spring.cloud.aws.endpoint=" + stack.gateway(),
                "--spring.cloud.aws.sqs.endpoint=" + stack.contestantSqs(),
                "--spring.cloud.aws.dynamodb.endpoint=" + stack.contestantDynamoDb(),
                "--persister.env=" + env,
                "--server.port=" + port);
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

    private Process launch(List<String> command, String name) throws IOException {
        Path log = logs.resolve(name + ".log");
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    private void exec(List<String> command) throws IOException, InterruptedException {
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

    static void stop(Process process) throws InterruptedException {
        process.destroy();
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
