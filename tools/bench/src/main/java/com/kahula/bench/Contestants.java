package com.kahula.bench;

import static com.kahula.bench.Bench.freePort;
import static com.kahula.bench.Bench.log;
import static com.kahula.bench.StackResources.busName;
import static com.kahula.bench.StackResources.queueName;
import static com.kahula.bench.StackResources.tableName;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Starts each contestant's JVM with its command line, and times the service's starts apart from the drains. */
final class Contestants {

    private final BenchOptions options;
    private final BenchStack stack;
    private final String java;
    private final String classpath;
    private final ContestantProcesses processes;
    private final ServiceLaunches services;

    private Contestants(BenchOptions options, BenchStack stack, Path logs, String java, String classpath) {
        this.options = options;
        this.stack = stack;
        this.java = java;
        this.classpath = classpath;
        this.processes = new ContestantProcesses(options, logs);
        this.services = new ServiceLaunches(options, stack, processes, java, classpath);
    }

    /** Prepares the service and the baseline, if among the contestants, before any of them is timed. */
    static Contestants prepare(BenchOptions options, BenchStack stack, Path logs, String java, String classpath)
            throws Exception {
        Contestants contestants = new Contestants(options, stack, logs, java, classpath);
        contestants.services.prepare();
        return contestants;
    }

    /** Seconds the plain {@code java -jar} of the service took to be ready; null when no service runs. */
    Double plainJarReadySeconds() {
        return services.plainJarReadySeconds();
    }

    /** The plumbing of the contestants' processes: readiness, liveness, the time limit, the GC logs, stopping. */
    ContestantProcesses processes() {
        return processes;
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
            stack.resources().provision(env(contestant));
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
                        seconds.get(contestant).add(processes.awaitReady(process, port) / 1000.0);
                    } finally {
                        ContestantProcesses.stop(process);
                    }
                }
            }
        } finally {
            for (Contestant contestant : measured) {
                stack.resources().dispose(env(contestant));
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
        return processes.launch(command(contestant, env, port), env);
    }

    private List<String> command(Contestant contestant, String env, int port) {
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(options.jvmOptions());
        command.add("-Xlog:gc:file=" + processes.gcLog(env) + ":uptimenanos");
        switch (contestant) {
            case FLOOR, FLOOR_FOLLOW_UPS, FLOOR_CONTAINER -> {
                Class<?> main =
                        contestant == Contestant.FLOOR_CONTAINER ? ContainerFloorMain.class : FloorConsumerMain.class;
                // the floor's clients on as many I/O threads as the service's, the SDK's shared group sized so
                command.add(BenchOptions.FLOOR_JVM_OPTION);
                command.addAll(List.of("-cp", classpath, main.getName()));
                command.addAll(List.of(
                        stack.contestantSqs().toString(),
                        stack.contestantDynamoDb().toString(),
                        queueName(env),
                        tableName(env)));
                command.addAll(InFlightLimit.inFlightArguments(contestant, options));
                if (contestant == Contestant.FLOOR_FOLLOW_UPS) {
                    command.addAll(List.of(stack.contestantGateway().toString(), busName(env)));
                }
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
                command.addAll(InFlightLimit.inFlightArguments(contestant, options));
            }
            case SERVICE, SERVICE_STORE_ONLY, SERVICE_UNTRACED, SERVICE_TRACED_ALL, BASELINE ->
                command.addAll(services.launch(contestant, env, port));
        }
        return command;
    }

    boolean emitsFollowUps(Contestant contestant) {
        return switch (contestant) {
            case FLOOR, FLOOR_CONTAINER, NAIVE, SERVICE_STORE_ONLY -> false;
            case FLOOR_FOLLOW_UPS, SERVICE, SERVICE_UNTRACED, SERVICE_TRACED_ALL -> true;
            case BASELINE -> !options.baselineArguments().contains(Contestant.NO_FOLLOW_UP_RULES);
        };
    }
}
