package com.kahula.eventpersister;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.kahula.embeddedaws.EmbeddedAwsStack;
import com.kahula.eventpersister.provisioning.AwsProvisioner;
import com.kahula.eventpersister.provisioning.AwsResources;
import com.kahula.eventpersister.support.AwsFixture;
import com.kahula.eventpersister.support.SampleEvents;
import java.io.IOException;
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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/**
 * The Spring AOT code the build generated for the ecs profile, started as the ECS task starts it
 * ({@code -Dspring.aot.enabled=true}): against the embedded stack it becomes ready and stores an event; with what it
 * cannot honour, the start stops before any bean, naming the property.
 */
class SpringAotStartIT {

    private static final String ENV = "e2e-spring-aot";

    @TempDir
    Path directory;

    @Test
    void theEcsStartPathBecomesReadyAndStoresEvents() throws Exception {
        EmbeddedAwsStack stack = EmbeddedAwsStack.shared();
        AwsFixture aws = new AwsFixture(stack, ENV);
        try (SqsAsyncClient sqs = stack.configure(SqsAsyncClient.builder()).build();
                DynamoDbAsyncClient dynamoDb =
                        stack.configure(DynamoDbAsyncClient.builder()).build();
                EventBridgeClient eventBridge =
                        stack.configure(EventBridgeClient.builder()).build()) {
            // as the ECS stack does: the resources exist before the service, which does not provision on ECS
            new AwsProvisioner(sqs, dynamoDb, eventBridge)
                    .provision(new AwsResources(
                            aws.queueName(),
                            aws.deadLetterQueueName(),
                            Duration.ofSeconds(60),
                            5,
                            aws.tableName(),
                            aws.busName(),
                            "{\"source\":[{\"prefix\":\"\"}]}"));
        }
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Process service = launch(
                List.of(
                        "--spring.cloud.aws.endpoint=" + stack.endpoint(),
                        "--spring.cloud.aws.region.static=" + EmbeddedAwsStack.REGION,
                        "--spring.cloud.aws.credentials.access-key=" + EmbeddedAwsStack.ACCESS_KEY,
                        "--spring.cloud.aws.credentials.secret-key=" + EmbeddedAwsStack.SECRET_KEY,
                        "--persister.env=" + ENV,
                        "--server.port=" + port),
                List.of());
        try {
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest readiness = HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness"))
                    .build();
            await().atMost(Duration.ofSeconds(90))
                    .ignoreExceptions()
                    .until(() -> http.send(readiness, HttpResponse.BodyHandlers.ofString())
                                    .statusCode()
                            == 200);
            ObjectNode detail = SampleEvents.detail("catalog");
            aws.sendToQueue(SampleEvents.envelope("com.kahula.catalog.PriceChangedEvent", detail));

            await().atMost(Duration.ofSeconds(60))
                    .until(() -> aws.row(detail.get("id").asText()).isPresent());
            assertThat(Files.readString(directory.resolve("start.log")))
                    .contains("Starting AOT-processed EventPersisterApplication")
                    .contains("The following 1 profile is active: \\\"ecs\\\"");
        } finally {
            service.destroy();
            if (!service.waitFor(30, TimeUnit.SECONDS)) {
                service.destroyForcibly();
            }
        }
    }

    @Test
    void anotherProfileStopsTheStartNamingTheProfileProperty() throws Exception {
        Started start = start(List.of("--spring.profiles.active=local"), List.of());

        assertThat(start.exitCode()).isNotZero();
        assertThat(start.output())
                .contains("This start runs the Spring AOT code")
                .contains("spring.profiles.active: the active profiles are [ecs, local], but the AOT code was built"
                        + " for [ecs] only")
                .contains("Start without spring.aot.enabled")
                .doesNotContain("Tomcat initialized");
    }

    @Test
    void aBeanSwitchSetByTheEnvironmentStopsTheStartNamingIt() throws Exception {
        Started start = start(List.of(), List.of("PERSISTER_PROVISIONING_ENABLED=true"));

        assertThat(start.exitCode()).isNotZero();
        assertThat(start.output())
                .contains("persister.provisioning.enabled: is 'true' here, but was unset when the AOT code was built")
                .doesNotContain("spring.profiles.active: ")
                .doesNotContain("Tomcat initialized");
    }

    private record Started(int exitCode, String output) {}

    private Started start(List<String> arguments, List<String> environment) throws IOException, InterruptedException {
        Process process = launch(concat(List.of("--server.port=0"), arguments), environment);
        Path log = directory.resolve("start.log");
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("the start neither stopped nor failed within 2 minutes: "
                    + Files.readString(log, StandardCharsets.UTF_8));
        }
        return new Started(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    /** The service's JVM as the image starts it on ECS, its output to start.log. */
    private Process launch(List<String> arguments, List<String> environment) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(
                java,
                "-Dspring.aot.enabled=true",
                "-cp",
                System.getProperty("java.class.path"),
                EventPersisterApplication.class.getName()));
        command.addAll(arguments);
        Path log = directory.resolve("start.log");
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .directory(directory.toFile());
        builder.environment().put("AWS_REGION", "us-east-1");
        for (String variable : environment) {
            String[] pair = variable.split("=", 2);
            builder.environment().put(pair[0], pair[1]);
        }
        return builder.start();
    }
}
