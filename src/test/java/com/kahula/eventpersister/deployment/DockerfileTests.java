package com.kahula.eventpersister.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Holds the Dockerfile to the image the issue asks for; building it needs Docker, which CI here does not have. */
class DockerfileTests {

    private final String dockerfile = read("Dockerfile");
    private final List<String> from =
            dockerfile.lines().filter(line -> line.startsWith("FROM ")).toList();

    @Test
    void buildsOnTheJdkAndRunsOnTheJre() {
        assertThat(from).hasSize(2);
        assertThat(from.getFirst()).startsWith("FROM eclipse-temurin:25-jdk ");
        assertThat(from.getLast()).isEqualTo("FROM eclipse-temurin:25-jre");
        assertThat(dockerfile).contains("./mvnw ", "-Djarmode=tools", "extract --layers");
    }

    @Test
    void startsFromAnAotCacheMadeAtBuildTime() {
        assertThat(dockerfile)
                .contains("-XX:AOTCacheOutput=app.aot", "-Dspring.context.exit=onRefresh", "-XX:AOTCache=app.aot");
    }

    @Test
    void runsAsANonRootUserWithContainerAwareMemory() {
        String user = dockerfile
                .lines()
                .filter(line -> line.startsWith("USER "))
                .reduce((first, last) -> last)
                .orElseThrow();
        assertThat(user).doesNotContain("root").isNotEqualTo("USER 0");
        assertThat(dockerfile).contains("-XX:MaxRAMPercentage=", "VOLUME [\"/tmp\"]");
    }

    @Test
    void sendsOnlyTheBuildInputsToDocker() {
        List<String> ignore = read(".dockerignore").lines().toList();
        assertThat(ignore).contains("*", "!mvnw", "!.mvn/", "!pom.xml", "!src/main/");
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file));
        } catch (IOException error) {
            throw new IllegalStateException(error);
        }
    }
}
