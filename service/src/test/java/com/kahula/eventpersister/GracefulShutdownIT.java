package com.kahula.eventpersister;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.kahula.embeddedaws.EmbeddedAwsStack;
import com.kahula.eventpersister.support.AwsFixture;
import com.kahula.eventpersister.support.SampleEvents;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The service as a process of its own, stopped with SIGTERM while it drains a backlog: it exits within the drain time,
 * and every message it finished was acknowledged, so none comes back; none is lost either.
 */
class GracefulShutdownIT {

    private static final String ENV = "e2e-drain";
    private static final int MESSAGES = 1500;
    private static final Duration EXIT_WITHIN = Duration.ofSeconds(35);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] TYPES = {
        "com.kahula.catalog.ProductUpdatedEvent", "com.kahula.pricing.PriceChangedEvent", "OrderPlacedEvent"
    };

    private final EmbeddedAwsStack stack = EmbeddedAwsStack.shared();
    private final AwsFixture aws = new AwsFixture(stack, ENV);

    @Test
    void finishesWhatItStartedAndExitsInTimeOnSigterm() throws Exception {
        Path log = Files.createTempFile("event-persister-drain", ".log");
        Process service = start(log);
        try {
            await().atMost(Duration.ofSeconds(90)).until(() -> aws.queueExists());
            List<String> ids = new ArrayList<>();
            List<String> bodies = new ArrayList<>();
            for (int i = 0; i < MESSAGES; i++) {
                ObjectNode detail = SampleEvents.detail("catalog");
                ids.add(detail.get("id").asText());
                bodies.add(SampleEvents.envelope(TYPES[i % TYPES.length], detail));
            }
            aws.sendAllToQueue(bodies);
            await().atMost(Duration.ofSeconds(120)).until(() -> aws.rowCount() >= MESSAGES / 5);

            long stopping = System.nanoTime();
            service.destroy(); // SIGTERM
            boolean exited = service.waitFor(EXIT_WITHIN.toSeconds() + 10, TimeUnit.SECONDS);
            Duration tookToExit = Duration.ofNanos(System.nanoTime() - stopping);

            assertThat(exited).as("exited after SIGTERM; log: %s", log).isTrue();
            assertThat(tookToExit).isLessThanOrEqualTo(EXIT_WITHIN);
            assertThat(Files.readString(log)).doesNotContain("Exception encountered during context");

            await().atMost(Duration.ofSeconds(30)).until(() -> aws.messagesInFlight() == 0);
            Map<String, Integer> receiveCounts = new HashMap<>();
            for (var message : aws.drainQueue()) {
                JsonNode envelope = JSON.readTree(message.body());
                receiveCounts.put(envelope.at("/detail/id").asText(), message.receiveCount());
            }
            int finished = 0;
            for (String id : ids) {
                var row = aws.row(id);
                boolean done = row.isPresent()
                        && (row.get().get("follow_up_status") == null
                                || "EMITTED"
                                        .equals(row.get()
                                                .get("follow_up_status")
                                                .s()));
                if (done) {
                    finished++;
                    assertThat(receiveCounts)
                            .as("finished message %s came back", id)
                            .doesNotContainKey(id);
                } else {
                    assertThat(receiveCounts)
                            .as("unfinished message %s was lost", id)
                            .containsKey(id);
                }
            }
            assertThat(finished).isGreaterThanOrEqualTo(MESSAGES / 5);
        } finally {
            service.destroyForcibly();
        }
    }

    private Process start(Path log) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                EventPersisterApplication.class.getName(),
                "--spring.profiles.active=local",
                "--spring.cloud.aws.endpoint=" + stack.endpoint(),
                "--persister.env=" + ENV,
                "--server.port=0",
                // a budget that the short visibility timeout holds (the service refuses to start otherwise)
                "--persister.store.call-timeout=1s",
                "--persister.store.max-attempts=2",
                "--persister.follow-up.call-timeout=1s",
                "--persister.follow-up.max-attempts=2",
                "--persister.provisioning.visibility-timeout=8s",
                "--persister.provisioning.max-receive-count=50");
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .directory(new File("."))
                .start();
    }
}
