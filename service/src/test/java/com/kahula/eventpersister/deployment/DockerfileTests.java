package com.kahula.eventpersister.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.kahula.eventpersister.support.RepositoryFiles;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Holds the Dockerfile, parsed into its stages and instructions, to the image the README describes; building it needs
 * Docker, which CI here does not have.
 */
class DockerfileTests {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<Stage> stages = parse(read("Dockerfile"));
    private final Stage build = stages.getFirst();
    private final Stage runtime = stages.getLast();

    @Test
    void buildsOnTheJdkAndRunsOnTheJre() {
        assertThat(stages).hasSize(2);
        assertThat(build.from()).startsWith("eclipse-temurin:25-jdk").endsWith(" AS build");
        assertThat(runtime.from()).startsWith("eclipse-temurin:25-jre");
        assertThat(build.all("RUN"))
                .anySatisfy(
                        run -> assertThat(run).contains("./mvnw ", "package", "-Djarmode=tools", "extract --layers"));
    }

    @Test
    void copiesTheLayersLeastVolatileFirst() {
        List<String> copies = runtime.all("COPY").stream()
                .filter(copy -> copy.startsWith("--from=build"))
                .toList();
        assertThat(copies).hasSize(4);
        assertThat(copies.getFirst()).contains("/extracted/dependencies/");
        assertThat(copies.getLast()).contains("/extracted/application/");
    }

    @Test
    void runsAsANonRootUser() {
        List<String> users = runtime.all("USER");
        assertThat(users).isNotEmpty();
        String user = users.getLast().split(":")[0];
        assertThat(user).matches("\\d+");
        assertThat(Integer.parseInt(user)).isGreaterThanOrEqualTo(1000);
    }

    @Test
    void javaIsTheContainersMainProcessStartingFromTheAotCacheMadeAtBuildTime() throws IOException {
        List<String> entrypoint = JSON.readValue(runtime.last("ENTRYPOINT"), new TypeReference<>() {});
        String command = String.join(" ", entrypoint);
        // exec: java replaces the shell, so it is PID 1 and gets ECS's SIGTERM itself
        assertThat(command).contains("exec java ", "-XX:AOTCache=app.aot", "-jar application.jar");
        assertThat(command).contains("${JAVA_OPTS_SIZE}");
    }

    @Test
    void trainsTheAotCacheOnAStartThatBecomesReadyWithTheEntrypointsFlags() throws IOException {
        // the driver is compiled in the build stage from the source AotTrainingIT runs, and only mounted for its RUN
        String compile = build.all("RUN").stream()
                .filter(run -> run.startsWith("javac "))
                .findFirst()
                .orElseThrow();
        String sources = compile.substring(compile.lastIndexOf(' ') + 1);
        assertThat(sources).endsWith("com/kahula/aottraining/*.java");
        // the one package the glob compiles holds every main source of the module, the driver among them
        Path module = RepositoryFiles.of("tools/aot-training/src/main/java");
        Path globbed = RepositoryFiles.of(sources.substring(0, sources.lastIndexOf('/')));
        try (Stream<Path> files = Files.walk(module)) {
            assertThat(files.filter(file -> file.toString().endsWith(".java")))
                    .isNotEmpty()
                    .allSatisfy(file -> assertThat(file.getParent()).isEqualTo(globbed))
                    .anySatisfy(file -> assertThat(file.getFileName()).hasToString("AotTraining.java"));
        }
        assertThat(runtime.all("COPY")).noneMatch(copy -> copy.contains("aot-training"));
        assertThat(runtime.all("RUN"))
                .anySatisfy(run -> assertThat(run)
                        .startsWith(
                                "--mount=type=bind,from=build,source=/build/aot-training/classes,target=/aot-training")
                        .contains(
                                "java -cp /aot-training com.kahula.aottraining.AotTraining java ${JAVA_OPTS_SIZE} ",
                                "-XX:AOTCacheOutput=app.aot",
                                "-Dspring.aot.enabled=true",
                                "-jar application.jar")
                        .doesNotContain("spring.context.exit"));
    }

    @Test
    void runsSpringAotCodeOnlyWhenTheStartAsksForIt() throws IOException {
        List<String> entrypoint = JSON.readValue(runtime.last("ENTRYPOINT"), new TypeReference<>() {});
        assertThat(String.join(" ", entrypoint)).contains("-Dspring.aot.enabled=${SPRING_AOT_ENABLED}");
        assertThat(runtime.all("ENV")).contains("SPRING_AOT_ENABLED=false");
    }

    @Test
    void sizesTheHeapFromTheContainerAndKeepsOnlyTmpWritable() {
        assertThat(runtime.all("ENV"))
                .anySatisfy(env -> assertThat(env).contains("-XX:MaxRAMPercentage=", "-XX:+ExitOnOutOfMemoryError"));
        assertThat(runtime.all("VOLUME")).containsExactly("[\"/tmp\"]");
    }

    @Test
    void pinsBothBaseImagesByDigest() {
        assertThat(stages)
                .extracting(Stage::from)
                .allSatisfy(
                        from -> assertThat(from).matches("eclipse-temurin:25-j(dk|re)@sha256:[0-9a-f]{64}( AS \\w+)?"));
        assertThat(read("Dockerfile"))
                .as("the command that bumps the digests")
                .contains("docker buildx imagetools inspect eclipse-temurin:$tag");
    }

    @Test
    void checksLivenessWithBashInsteadOfStartingAJvm() {
        List<String> command = healthCheckCommand();
        assertThat(command.getFirst()).isEqualTo("bash");
        assertThat(command).doesNotContain("java").endsWith("/actuator/health/liveness");
    }

    @Test
    void healthCheckPassesOnlyWhenTheProbeAnswers200() throws Exception {
        List<String> command = healthCheckCommand();
        try (Probe up = new Probe(200);
                Probe down = new Probe(503)) {
            assertThat(up.check(command)).as("200").isZero();
            assertThat(down.check(command)).as("503").isNotZero();
        }
        Probe gone = new Probe(200);
        gone.close();
        assertThat(gone.check(command)).as("nothing listening").isNotZero();
    }

    /** The HEALTHCHECK's exec-form command, as compose and the ECS task definition must repeat it. */
    static List<String> healthCheckCommand() {
        String healthCheck = parse(read("Dockerfile")).getLast().last("HEALTHCHECK");
        String command = healthCheck.substring(healthCheck.indexOf("CMD ") + 4);
        try {
            return JSON.readValue(command, new TypeReference<>() {});
        } catch (IOException error) {
            throw new IllegalStateException("HEALTHCHECK is not in exec form: " + command, error);
        }
    }

    /** An actuator stand-in answering every path with one status; the check runs with its port as MANAGEMENT_PORT. */
    private static final class Probe implements AutoCloseable {

        private final HttpServer server;

        Probe(int status) throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", exchange -> {
                exchange.sendResponseHeaders(status, -1);
                exchange.close();
            });
            server.start();
        }

        int check(List<String> command) throws IOException, InterruptedException {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment()
                    .put("MANAGEMENT_PORT", String.valueOf(server.getAddress().getPort()));
            Process process = builder.start();
            process.getInputStream().transferTo(OutputStream.nullOutputStream());
            assertThat(process.waitFor(10, TimeUnit.SECONDS))
                    .as("the check ends")
                    .isTrue();
            return process.exitValue();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    @Test
    void sendsOnlyTheBuildInputsToDocker() {
        List<String> ignore = read(".dockerignore").lines().toList();
        assertThat(ignore).contains("*", "!mvnw", "!.mvn/", "!pom.xml", "!service/pom.xml", "!service/src/main/");
        // and every path the build stage copies from the context is among them
        List<String> admitted = ignore.stream()
                .filter(line -> line.startsWith("!"))
                .map(line -> line.substring(1))
                .toList();
        List<String> copied = build.all("COPY").stream()
                .filter(copy -> !copy.startsWith("--"))
                .flatMap(copy -> {
                    List<String> paths = List.of(copy.split(" "));
                    return paths.subList(0, paths.size() - 1).stream();
                })
                .toList();
        assertThat(copied)
                .contains("tools/aot-training/src/main")
                .allSatisfy(path -> assertThat(admitted)
                        .anySatisfy(entry -> assertThat((path + "/").startsWith(entry) || path.equals(entry))
                                .isTrue()));
    }

    /** One build stage: its FROM and its instructions in order, each as keyword and arguments. */
    private record Stage(String from, List<Instruction> instructions) {

        List<String> all(String keyword) {
            return instructions.stream()
                    .filter(instruction -> instruction.keyword().equals(keyword))
                    .map(Instruction::arguments)
                    .toList();
        }

        String last(String keyword) {
            return all(keyword).getLast();
        }
    }

    private record Instruction(String keyword, String arguments) {}

    /** Comments and the parser directive dropped, continuation lines joined, instructions grouped by stage. */
    private static List<Stage> parse(String dockerfile) {
        List<String> logical = new ArrayList<>();
        StringBuilder pending = new StringBuilder();
        for (String line : dockerfile.lines().toList()) {
            String trimmed = line.strip();
            if (trimmed.startsWith("#") || (trimmed.isEmpty() && pending.isEmpty())) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                pending.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            logical.add(pending.append(trimmed).toString().strip());
            pending.setLength(0);
        }
        List<Stage> stages = new ArrayList<>();
        for (String line : logical) {
            int space = line.indexOf(' ');
            String keyword = line.substring(0, space).toUpperCase(Locale.ROOT);
            String arguments = line.substring(space + 1).strip().replaceAll("\\s+", " ");
            if (keyword.equals("FROM")) {
                stages.add(new Stage(arguments, new ArrayList<>()));
            } else {
                stages.getLast().instructions().add(new Instruction(keyword, arguments));
            }
        }
        return stages;
    }

    private static String read(String file) {
        try {
            return Files.readString(RepositoryFiles.of(file));
        } catch (IOException error) {
            throw new IllegalStateException(error);
        }
    }
}
