package com.kahula.eventpersister.deployment;

import static com.kahula.eventpersister.support.CloudFormationYaml.at;
import static com.kahula.eventpersister.support.CloudFormationYaml.list;
import static com.kahula.eventpersister.support.CloudFormationYaml.map;
import static org.assertj.core.api.Assertions.assertThat;

import com.kahula.eventpersister.support.CloudFormationYaml;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Holds docker-compose.yml to what `docker compose up` needs: a LocalStack that starts, in order, and found. */
class ComposeFileTests {

    /** From 4.15 on, and in every calendar-versioned release (2026.x, `latest`), LocalStack needs an auth token. */
    private static final int LAST_AUTH_FREE_MINOR = 14;

    private static final String SERVICE = "event-persister";

    private final Map<String, Object> compose = CloudFormationYaml.read(Path.of("docker-compose.yml"));

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
        Path hook = Path.of("docker/localstack/ready.d/10-archive.sh");
        assertThat(Files.isExecutable(hook)).isTrue();
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
                .as("healthy only once the ready.d hooks have run")
                .contains("/_localstack/init/ready");
    }

    @Test
    void pointsTheServiceAtLocalStack() {
        Map<String, Object> environment = map(compose, "services", SERVICE, "environment");
        assertThat(environment)
                .containsEntry("SPRING_PROFILES_ACTIVE", "local")
                .containsEntry("AWS_ENDPOINT_URL", "http://localstack:4566");
        assertThat(list(compose, "services", "localstack", "ports"))
                .as("the README walkthrough's endpoint, http://localhost:4566")
                .anySatisfy(port -> assertThat(String.valueOf(port)).endsWith("4566:4566"));
    }

    @Test
    void runsTheServiceFromTheDockerfileReadOnlyAsOnEcs() {
        Map<String, Object> service = map(compose, "services", SERVICE);
        assertThat(service.get("build")).isEqualTo(".");
        assertThat(Files.exists(Path.of("Dockerfile"))).isTrue();
        assertThat(service.get("read_only")).isEqualTo(true);
        assertThat(list(service, "tmpfs")).contains("/tmp");
        assertThat(list(service, "healthcheck", "test"))
                .contains(com.kahula.eventpersister.HealthCheck.class.getName(), "/app/application.jar");
    }
}
