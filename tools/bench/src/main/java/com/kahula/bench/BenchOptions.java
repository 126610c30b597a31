package com.kahula.bench;

import com.kahula.eventpersister.config.PersisterProperties;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.springframework.boot.context.properties.bind.Binder;

/**
 * The benchmark's command-line options, each with the default the issue asks for. {@code inFlight} is the one limit of
 * messages in flight that every contestant gets ({@link InFlightLimit#inFlightArguments}).
 */
record BenchOptions(
        int messages,
        int runs,
        long latencyMillis,
        int inFlight,
        int latencySeconds,
        int warmupMessages,
        int warmMessages,
        List<Contestant> contestants,
        List<String> jvmOptions,
        Path serviceJar,
        Path baselineJar,
        List<String> baselineArguments,
        boolean serviceAotCache,
        Path outputDirectory,
        int timeoutSeconds,
        int starts,
        List<String> serviceJvmOptions,
        List<String> baselineJvmOptions,
        AotTrainingMode aotTraining,
        AotTrainingMode baselineAotTraining,
        double traceSampling) {

    /** How the service's JDK AOT cache is trained before it is measured. */
    enum AotTrainingMode {
        /**
         * As the Dockerfile trains it: {@code AotTraining}, a start that becomes ready against a stand-in for AWS and
         * drains the stand-in's events.
         */
        IMAGE("image"),
        /** A start that exits after the context refresh, without AWS: to measure the image's training against. */
        ON_REFRESH("on-refresh"),
        /** A start that becomes ready against the bench's emulators: not possible in an image build. */
        STACK("stack"),
        /**
         * A start against the bench's emulators that drains {@code ServiceLaunches.DRAIN_TRAINING_MESSAGES} messages of
         * its own before it is stopped, so that the cache holds the hot path's method profiles.
         */
        STACK_DRAIN("stack-drain");

        private final String label;

        AotTrainingMode(String label) {
            this.label = label;
        }

        String label() {
            return label;
        }

        static AotTrainingMode ofLabel(String label) {
            for (AotTrainingMode mode : values()) {
                if (mode.label.equals(label)) {
                    return mode;
                }
            }
            throw new IllegalArgumentException(
                    "unknown AOT training " + label + "; image, on-refresh, stack or stack-drain");
        }
    }

    static final String DEFAULT_JVM_OPTIONS = "-Xmx256m -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError";
    static final String SERVICE_JVM_OPTIONS = "-Dspring.aot.enabled=true";

    /** The template's default TraceSamplingRatio, the share of traces the service records on ECS as it ships. */
    static final double SHIPPED_TRACE_SAMPLING = 0.05;

    /** The service's listener settings as it binds them when nothing sets them. */
    static final PersisterProperties.Listener SERVICE_LISTENER =
            new Binder().bindOrCreate("persister.listener", PersisterProperties.Listener.class);

    /**
     * The service's {@code persister.aws.io-threads}: its AWS clients' I/O threads, as many as the floors' clients get
     * (their SDK's shared event loop group, sized by Netty's {@code io.netty.eventLoopThreads}).
     */
    static final int SERVICE_IO_THREADS = new Binder()
            .bindOrCreate("persister.aws", PersisterProperties.Aws.class)
            .ioThreads();

    /**
     * The floors' own JVM flag: their clients on as many I/O threads as the service's by default ({@link
     * #SERVICE_IO_THREADS}).
     */
    static final String FLOOR_JVM_OPTION = "-Dio.netty.eventLoopThreads=" + SERVICE_IO_THREADS;

    /** The default of {@code --in-flight}: the service's {@code persister.listener.max-concurrent-messages}. */
    static final int SERVICE_IN_FLIGHT = SERVICE_LISTENER.maxConcurrentMessages();

    /**
     * The service's {@code persister.listener.max-messages-per-poll}, which the floor's loops receive at a time too; also
     * the fewest messages in flight, as the service holds at least one poll whatever its {@code max-concurrent-messages}.
     */
    static final int MESSAGES_PER_POLL = SERVICE_LISTENER.maxMessagesPerPoll();

    static BenchOptions parse(String... args) {
        int messages = 20_000;
        int runs = 1;
        long latencyMillis = 0;
        int inFlight = SERVICE_IN_FLIGHT;
        int latencySeconds = 15;
        int warmupMessages = -1;
        int warmMessages = 8_000;
        List<Contestant> contestants = List.of(
                Contestant.FLOOR,
                Contestant.FLOOR_FOLLOW_UPS,
                Contestant.NAIVE,
                Contestant.SERVICE,
                Contestant.SERVICE_STORE_ONLY);
        Path baselineJar = null;
        String baselineArguments = "";
        String jvmOptions = DEFAULT_JVM_OPTIONS;
        Path serviceJar = Path.of("../../service/target/event-persister-0.1.0-SNAPSHOT-exec.jar");
        boolean aotCache = true;
        AotTrainingMode aotTraining = AotTrainingMode.IMAGE;
        AotTrainingMode baselineAotTraining = null;
        Path output = Path.of("target/bench");
        int timeoutSeconds = 600;
        int starts = 5;
        double traceSampling = SHIPPED_TRACE_SAMPLING;
        // the ECS task's start path: the image's Spring AOT code (SPRING_AOT_ENABLED=true), so the ecs profile
        String serviceJvmOptions = SERVICE_JVM_OPTIONS;
        String baselineJvmOptions = "";
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--messages" -> messages = Integer.parseInt(value);
                case "--runs" -> runs = Integer.parseInt(value);
                case "--latency-ms" -> latencyMillis = Long.parseLong(value);
                case "--in-flight" -> inFlight = Integer.parseInt(value);
                case "--latency-seconds" -> latencySeconds = Integer.parseInt(value);
                case "--warmup" -> warmupMessages = Integer.parseInt(value);
                case "--warm-messages" -> warmMessages = Integer.parseInt(value);
                case "--contestants" ->
                    contestants = Arrays.stream(value.split(","))
                            .map(Contestant::ofLabel)
                            .toList();
                case "--jvm-opts" -> jvmOptions = value;
                case "--service-jar" -> serviceJar = Path.of(value);
                case "--baseline-jar" -> baselineJar = Path.of(value);
                case "--baseline-args" -> baselineArguments = value;
                case "--no-aot-cache" -> {
                    aotCache = false;
                    i--;
                }
                case "--aot-training" -> aotTraining = AotTrainingMode.ofLabel(value);
                case "--baseline-aot-training" -> baselineAotTraining = AotTrainingMode.ofLabel(value);
                case "--out" -> output = Path.of(value);
                case "--timeout-s" -> timeoutSeconds = Integer.parseInt(value);
                case "--starts" -> starts = Integer.parseInt(value);
                case "--trace-sampling" -> traceSampling = Double.parseDouble(value);
                case "--service-jvm-opts" -> serviceJvmOptions = value;
                case "--baseline-jvm-opts" -> baselineJvmOptions = value;
                default -> throw new IllegalArgumentException("unknown option " + args[i] + "\n" + usage());
            }
            i++;
        }
        // the service refuses, at its start, more than it accepts
        if (inFlight < MESSAGES_PER_POLL) {
            throw new IllegalArgumentException(
                    "--in-flight %d: at least one poll, %d".formatted(inFlight, MESSAGES_PER_POLL));
        }
        if (warmupMessages < 0) {
            warmupMessages = Math.min(messages, 4_000);
        }
        if (baselineJar == null) {
            baselineJar = serviceJar;
        }
        if (baselineAotTraining == null) {
            baselineAotTraining = aotTraining;
        }
        return new BenchOptions(
                messages,
                runs,
                latencyMillis,
                inFlight,
                latencySeconds,
                warmupMessages,
                warmMessages,
                contestants,
                words(jvmOptions),
                serviceJar,
                baselineJar,
                words(baselineArguments),
                aotCache,
                output,
                timeoutSeconds,
                starts,
                words(serviceJvmOptions),
                words(baselineJvmOptions),
                aotTraining,
                baselineAotTraining,
                traceSampling);
    }

    private static List<String> words(String line) {
        List<String> words = new ArrayList<>(Arrays.asList(line.trim().split("\\s+")));
        words.removeIf(String::isBlank);
        return List.copyOf(words);
    }

    static String usage() {
        return """
                bench/run.sh [--messages 20000] [--runs 1] [--latency-ms 0]
                             [--in-flight %d (every contestant's messages in flight; the service's default)]
                             [--latency-seconds 15] [--warmup 4000] [--warm-messages 8000]
                             [--contestants floor,naive,service,service-store-only]
                             [--contestants floor,floor-container,service-store-only (the container's cost, rules off)]
                             [--contestants service,service-untraced,service-traced-all (tracing's cost)]
                             [--trace-sampling %s (the service's and its baseline's; the template's default)]
                             [--jvm-opts "%s"] [--no-aot-cache] [--aot-training image|on-refresh|stack|stack-drain]
                             [--contestants floor,service,baseline [--baseline-jar other-build.jar]
                              [--baseline-args "--persister.listener.max-concurrent-messages=50"]]
                             [--service-jvm-opts "%s" (as on ECS; "" for compose's start path)]
                             [--baseline-jvm-opts "..."] [--baseline-aot-training ...] [--out target/bench] [--timeout-s 600] [--starts 5]""".formatted(SERVICE_IN_FLIGHT, SHIPPED_TRACE_SAMPLING, DEFAULT_JVM_OPTIONS, SERVICE_JVM_OPTIONS);
    }
}
