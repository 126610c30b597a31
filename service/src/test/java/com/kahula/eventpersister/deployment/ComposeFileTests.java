package com.kahula.eventpersister.deployment;

import static com.kahula.eventpersister.support.CloudFormationYaml.at;
import static com.kahula.eventpersister.support.CloudFormationYaml.list;
import static com.kahula.eventpersister.support.CloudFormationYaml.map;
import static org.assertj.core.api.Assertions.assertThat;

import com.kahula.eventpersister.support.CloudFormationYaml;
import com.kahula.eventpersister.support.RepositoryFiles;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Holds docker-compose.yml to what `docker compose up` needs: a LocalStack that starts, in order, and found. */
class ComposeFileTests {

    /** From 4.15 on, and in every calendar-versioned release (2026.x, `latest`), LocalStack needs an auth token. */
    private static final int LAST_AUTH_FREE_MINOR = 14;

    private static final String SERVICE = "event-persister";
    private static final Path HOOK = RepositoryFiles.of("docker/localstack/ready.d/10-archive.sh");

    /** Where the archive hook leaves its marker in the LocalStack container, unless ARCHIVE_READY_MARKER says. */
    private static final String DEFAULT_MARKER = "/tmp/event-archive.ready";

    private final Map<String, Object> compose = CloudFormationYaml.read(RepositoryFiles.of("docker-compose.yml"));

    @Test
    void pinsLocalStackToAnAuthFreeVersion() {
        String image = (String) at(compose, "services", "localstack", "image");
        Matcher version = Pattern.compile("localstack/localstack:(\\d+)\\.(\\d+)\\.(\\d+)")
                .matcher(image);
        assertThat(version.matches())
                .as("%s is pinned to a full x.y.z version", image)
                .isTrue();
        assertThat(Integer.parseInt(version.group(1))).isEqualTo(4);
        assertThat(Integer.parseInt(version.group(2))).isLessThanOrEqualTo(LAST_AUTH_FREE_MINOR);
        assertThat(map(compose, "services", "localstack", "environment")).doesNotContainKey("LOCALSTACK_AUTH_TOKEN");
        assertThat(image)
                .as("the Testcontainers suite runs the image compose runs")
                .isEqualTo(com.kahula.eventpersister.support.LocalStackImage.NAME);
    }

    @Test
    void runsTheServicesTheStackNeeds() {
        String services = (String) at(compose, "services", "localstack", "environment", "SERVICES");
        assertThat(Arrays.asList(services.split(","))).contains("sqs", "dynamodb", "events", "firehose", "s3");
        assertThat(list(compose, "services", "localstack", "volumes"))
                .as("the ready.d hook that builds the Firehose -> S3 archive")
                .contains("./docker/localstack/ready.d:/etc/localstack/init/ready.d:ro");
        assertThat(Files.isExecutable(HOOK)).isTrue();
    }

    @Test
    void everyServiceHasAHealthCheck() {
        Map<String, Object> services = map(compose, "services");
        assertThat(services).isNotEmpty();
        services.forEach((name, service) -> assertThat(list(service, "healthcheck", "test"))
                .as(name)
                .hasSizeGreaterThan(1)
                .first()
                .isIn("CMD", "CMD-SHELL"));
    }

    @Test
    void serviceWaitsForHealthyLocalStack() {
        assertThat(at(compose, "services", SERVICE, "depends_on", "localstack", "condition"))
                .isEqualTo("service_healthy");
        assertThat((String) list(compose, "services", "localstack", "healthcheck", "test")
                        .get(1))
                .as("healthy only once the ready.d hooks have run, and the archive hook succeeded")
                .contains("/_localstack/init/ready")
                .startsWith("test -f " + DEFAULT_MARKER + " && ");
    }

    @Test
    void archiveHookLeavesTheReadyMarkerOnlyWhenEveryStepSucceeds(@TempDir Path directory) throws Exception {
        Path marker = directory.resolve("ready");

        assertThat(runArchiveHook(directory, marker, 0)).isZero();
        assertThat(marker).exists();

        assertThat(runArchiveHook(directory, marker, 1)).isNotZero();
        assertThat(marker).as("a failed hook leaves LocalStack unhealthy").doesNotExist();
    }

    @Test
    void pointsTheServiceAtLocalStack() {
        Map<String, Object> environment = map(compose, "services", SERVICE, "environment");
        assertThat(environment)
                .containsEntry("SPRING_PROFILES_ACTIVE", "local")
                .containsEntry("AWS_ENDPOINT_URL", "http://localstack:4566")
                .as("Spring AOT's code was built for the ecs profile: a local start evaluates its conditions")
                .doesNotContainKey("SPRING_AOT_ENABLED");
        assertThat(list(compose, "services", "localstack", "ports"))
                .as("the README walkthrough's endpoint, http://localhost:4566")
                .anySatisfy(port -> assertThat(String.valueOf(port)).endsWith("4566:4566"));
    }

    @Test
    void runsTheServiceFromTheDockerfileReadOnlyAsOnEcs() {
        Map<String, Object> service = map(compose, "services", SERVICE);
        assertThat(service.get("build")).isEqualTo(".");
        assertThat(Files.exists(RepositoryFiles.of("Dockerfile"))).isTrue();
        assertThat(service.get("read_only")).isEqualTo(true);
        assertThat(list(service, "tmpfs")).contains("/tmp");
        assertThat(Files.exists(RepositoryFiles.of("Dockerfile"))).isTrue();
    }

    @Test
    void checksHealthWithTheImagesScriptOnOverallHealth() {
        List<String> test = list(compose, "services", SERVICE, "healthcheck", "test").stream()
                .map(part -> ((String) part).replace("$$", "$"))
                .toList();
        List<String> image = new ArrayList<>(DockerfileTests.healthCheckCommand());
        image.set(image.size() - 1, "/actuator/health");
        assertThat(test.getFirst()).isEqualTo("CMD");
        assertThat(test.subList(1, test.size()))
                .as("the Dockerfile's script, on readiness too so that `up --wait` returns once events flow")
                .isEqualTo(image);
    }

    @Test
    void limitsTheServiceToTheEcsTaskDefaultsSoTheJvmSizesItselfAsOnFargate() {
        Map<String, Object> ecs = CloudFormationYaml.read(RepositoryFiles.of("ecs/event-persister.yml"));
        String taskMemory = (String) at(ecs, "Parameters", "TaskMemory", "Default");
        int taskCpuUnits = Integer.parseInt((String) at(ecs, "Parameters", "TaskCpu", "Default"));
        Map<String, Object> service = map(compose, "services", SERVICE);

        assertThat(mebibytes((String) service.get("mem_limit")))
                .as("the service container's share of the default task, beside the collector sidecar")
                .isEqualTo(at(ecs, "Mappings", "ServiceMemoryByTaskMemory", taskMemory, "Mib"));
        assertThat(((Number) service.get("cpus")).doubleValue()).isEqualTo(taskCpuUnits / 1024.0);
    }

    private static int mebibytes(String composeSize) {
        Matcher size = Pattern.compile("(\\d+)([mg])").matcher(composeSize);
        assertThat(size.matches()).as(composeSize).isTrue();
        return Integer.parseInt(size.group(1)) * (size.group(2).equals("g") ? 1024 : 1);
    }

    /** The archive hook with a stand-in awslocal that exits with the given status. */
    private static int runArchiveHook(Path directory, Path marker, int awslocalExit) throws Exception {
        Path bin = Files.createDirectories(directory.resolve("bin"));
        Path awslocal = bin.resolve("awslocal");
        Files.writeString(awslocal, "#!/bin/sh\nexit " + awslocalExit + "\n");
        assertThat(awslocal.toFile().setExecutable(true)).isTrue();
        ProcessBuilder hook = new ProcessBuilder("bash", HOOK.toString()).redirectErrorStream(true);
        hook.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        hook.environment().put("ARCHIVE_READY_MARKER", marker.toString());
        Process process = hook.start();
        process.getInputStream().transferTo(OutputStream.nullOutputStream());
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return process.exitValue();
    }
}
