package com.kahula.aottraining;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Dockerfile's training, on the jar the build packaged, extracted as the Dockerfile extracts it: it reaches
 * readiness against the stand-in, drains the stand-in's events with no call refused ({@code train} returns 0 only
 * then) and writes a cache that the entrypoint's flags start with. Building the image needs
 * Docker, which CI here does not have; this is the same step without it.
 */
class AotTrainingIT {

    /** The Dockerfile's JAVA_OPTS_SIZE, the flags of the training and of the entrypoint. */
    private static final List<String> JAVA_OPTS_SIZE = dockerfileJavaOptsSize();

    @TempDir
    Path directory;

    @Test
    void trainsOnAStartThatBecomesReadyAndDrainsAndWritesACacheTheEntrypointStartsWith() throws Exception {
        Path jar = extract(packagedJar());
        Path cache = directory.resolve("app.aot");
        List<String> training = new ArrayList<>(List.of(java()));
        training.addAll(JAVA_OPTS_SIZE);
        training.addAll(List.of("-XX:AOTCacheOutput=" + cache, "-Dspring.aot.enabled=true", "-jar", jar.toString()));

        assertThat(AotTraining.train(training)).isZero();
        assertThat(cache).isRegularFile();

        // AOTMode=on: the JVM refuses to start when it cannot use the cache, instead of starting without it. With the
        // image's flags, and with those of a task of 2 vCPUs (ECS sets two processors and G1 there): one cache for
        // both.
        List<String> twoVcpus = JAVA_OPTS_SIZE.stream()
                .map(flag -> switch (flag) {
                    case "-XX:ActiveProcessorCount=1" -> "-XX:ActiveProcessorCount=2";
                    case "-XX:+UseSerialGC" -> "-XX:+UseG1GC";
                    default -> flag;
                })
                .toList();
        assertThat(twoVcpus).as("the image pins one processor and Serial").isNotEqualTo(JAVA_OPTS_SIZE);
        for (List<String> flags : List.of(JAVA_OPTS_SIZE, twoVcpus)) {
            List<String> start = new ArrayList<>(List.of(java()));
            start.addAll(flags);
            start.addAll(List.of(
                    "-XX:AOTCache=" + cache,
                    "-XX:AOTMode=on",
                    "-Dspring.aot.enabled=true",
                    "-Dspring.context.exit=onRefresh",
                    "-jar",
                    jar.toString()));
            Path log = directory.resolve("start.log");
            ProcessBuilder builder =
                    new ProcessBuilder(start).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().put("AWS_REGION", StandIn.REGION);
            Process process = builder.start();
            assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
            assertThat(process.exitValue())
                    .as(() -> flags + ": exit value; " + read(log))
                    .isZero();
        }
    }

    private Path extract(Path packaged) throws IOException, InterruptedException {
        Path extracted = directory.resolve("extracted");
        Process process = new ProcessBuilder(
                        java(),
                        "-Djarmode=tools",
                        "-jar",
                        packaged.toString(),
                        "extract",
                        "--destination",
                        extracted.toString())
                .redirectErrorStream(true)
                .redirectOutput(directory.resolve("extract.log").toFile())
                .start();
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).isZero();
        return extracted.resolve(packaged.getFileName());
    }

    private static Path packagedJar() {
        Path jar = Path.of(System.getProperty("service.jar"));
        assertThat(jar)
                .as("the service's executable jar, as ./mvnw package builds it")
                .isRegularFile();
        return jar.toAbsolutePath();
    }

    private static List<String> dockerfileJavaOptsSize() {
        try {
            Matcher env = Pattern.compile("(?m)^ENV JAVA_OPTS_SIZE=\"([^\"]+)\"$")
                    .matcher(Files.readString(Path.of(System.getProperty("dockerfile"))));
            assertThat(env.find()).as("ENV JAVA_OPTS_SIZE in the Dockerfile").isTrue();
            return List.of(env.group(1).split(" "));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "no log: " + e;
        }
    }
}
