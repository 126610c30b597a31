package com.kahula.bench;

import static com.kahula.bench.Bench.deleteRecursively;
import static com.kahula.bench.Bench.freePort;
import static com.kahula.bench.Bench.log;

import com.kahula.aottraining.AotTraining;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The service's and the baseline's launches: each jar prepared as it ships, and their arguments against the stack. */
final class ServiceLaunches {

    /** The messages a {@code stack-drain} training drains before it is stopped. */
    static final int DRAIN_TRAINING_MESSAGES = 20000;

    private final BenchOptions options;
    private final BenchStack stack;
    private final ContestantProcesses processes;
    private final String java;
    private final String classpath;
    private List<String> serviceLaunch;
    private List<String> baselineLaunch;
    private Double plainJarReadySeconds;

    ServiceLaunches(
            BenchOptions options, BenchStack stack, ContestantProcesses processes, String java, String classpath) {
        this.options = options;
        this.stack = stack;
        this.processes = processes;
        this.java = java;
        this.classpath = classpath;
    }

    /** Prepares the service and the baseline, if among the contestants, before any of them is timed. */
    void prepare() throws Exception {
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
     * against its stand-in for AWS and is then stopped (or, with {@code --aot-training}, another way measured); plus
     * one start of the plain jar for comparison of readiness.
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
        processes.exec(List.of(
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
                processes.exec(image);
            }
            case ON_REFRESH -> {
                String env = name + "-aot-training";
                stack.resources().provision(env);
                training.add("-Dspring.context.exit=onRefresh");
                training.addAll(List.of("-jar", extractedJar.toString()));
                training.addAll(serviceArguments(env, freePort()));
                processes.exec(training);
                stack.resources().dispose(env);
            }
            case STACK, STACK_DRAIN -> {
                String env = name + "-aot-training";
                String queueUrl = stack.resources().provision(env);
                if (mode == BenchOptions.AotTrainingMode.STACK_DRAIN) {
                    // another seed than the measured batch's: the training's events are not the ones measured
                    stack.resources()
                            .preload(
                                    queueUrl,
                                    BenchMessages.generate(DRAIN_TRAINING_MESSAGES, 11)
                                            .bodies());
                }
                int trainingPort = freePort();
                training.addAll(List.of("-jar", extractedJar.toString()));
                training.addAll(serviceArguments(env, trainingPort));
                Process process = processes.launch(training, "aot-training");
                processes.awaitReady(process, trainingPort);
                if (mode == BenchOptions.AotTrainingMode.STACK_DRAIN) {
                    awaitDrained(process, queueUrl);
                }
                process.destroy();
                // the JVM writes the cache as it exits
                if (!process.waitFor(3, TimeUnit.MINUTES)) {
                    process.destroyForcibly();
                    throw new IllegalStateException("the AOT cache training did not exit; see " + processes.logs());
                }
                stack.resources().dispose(env);
            }
        }
        return concat(jvmOptions, List.of("-XX:AOTCache=" + cache, "-jar", extractedJar.toString()));
    }

    /** Waits until the training's queue is empty, its last acknowledgements made; fails after three minutes. */
    private void awaitDrained(Process process, String queueUrl) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        QueueDepth depth = stack.resources().depth(queueUrl);
        while (depth.visible() + depth.inFlight() > 0) {
            if (System.nanoTime() > deadline || !process.isAlive()) {
                throw new IllegalStateException(
                        "the AOT cache training did not drain its queue (" + depth + "); see " + processes.logs());
            }
            Thread.sleep(200);
            depth = stack.resources().depth(queueUrl);
        }
        // the follow-ups' marks and the last deletes after the queue shows empty
        Thread.sleep(3000);
        log("the AOT cache training drained " + DRAIN_TRAINING_MESSAGES + " messages");
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return List.copyOf(all);
    }

    /** The plain {@code java -jar} of the service, for the record: readiness only. */
    private void measurePlainJarReadiness() throws Exception {
        String env = "plain-jar";
        stack.resources().provision(env);
        int port = freePort();
        List<String> plain = new ArrayList<>(List.of(java));
        plain.addAll(options.jvmOptions());
        plain.addAll(List.of("-jar", options.serviceJar().toAbsolutePath().toString()));
        plain.addAll(serviceArguments(env, port));
        Process process = processes.launch(plain, env);
        try {
            plainJarReadySeconds = processes.awaitReady(process, port) / 1000.0;
            log("plain jar ready in %.2f s".formatted(plainJarReadySeconds));
        } finally {
            ContestantProcesses.stop(process);
            stack.resources().dispose(env);
        }
    }

    /** What follows the JVM in the command line of the service, its rules off, or the baseline, in the env. */
    List<String> launch(Contestant contestant, String env, int port) {
        List<String> command = new ArrayList<>(contestant == Contestant.BASELINE ? baselineLaunch : serviceLaunch);
        command.addAll(serviceArguments(env, port));
        command.addAll(InFlightLimit.inFlightArguments(contestant, options));
        if (contestant == Contestant.SERVICE_STORE_ONLY) {
            command.add(Contestant.NO_FOLLOW_UP_RULES);
        }
        command.addAll(tracingArguments(contestant));
        if (contestant == Contestant.BASELINE) {
            command.addAll(options.baselineArguments());
        }
        return command;
    }

    /**
     * Tracing as the contestant runs it: exported to the bench's OTLP receiver in place of the collector sidecar, at
     * {@code --trace-sampling} (the template's default), at 1.0, or off ({@code persister.tracing.enabled=false}: no
     * span made, no context read, carried or kept; a runtime setting, so the AOT-built start honours it).
     */
    private List<String> tracingArguments(Contestant contestant) {
        String endpoint = "--management.opentelemetry.tracing.export.otlp.endpoint="
                + stack.otlp().tracesEndpoint();
        return switch (contestant) {
            case SERVICE_UNTRACED -> List.of("--persister.tracing.enabled=false");
            case SERVICE_TRACED_ALL -> List.of(endpoint, "--management.tracing.sampling.probability=1.0");
            default -> List.of(endpoint, "--management.tracing.sampling.probability=" + options.traceSampling());
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
                "--spring.cloud.aws.endpoint=" + stack.contestantGateway(),
                "--spring.cloud.aws.sqs.endpoint=" + stack.contestantSqs(),
                "--spring.cloud.aws.dynamodb.endpoint=" + stack.contestantDynamoDb(),
                "--persister.env=" + env,
                "--server.port=" + port);
    }
}
