package com.kahula.eventpersister.support;

import static org.awaitility.Awaitility.await;

import com.kahula.eventpersister.EventPersisterApplication;
import com.kahula.eventpersister.embedded.EmbeddedAwsStack;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the end-to-end tests: the service, as it runs with the {@code local} profile, against the embedded AWS stack
 * (one per test JVM), with its own env so that its queue, table and bus are its own. Short timeouts keep redelivery
 * quick.
 */
@SpringBootTest(
        classes = EventPersisterApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "persister.env=e2e",
            "persister.provisioning.visibility-timeout=2s",
            "persister.provisioning.max-receive-count=50",
            "persister.store.call-timeout=500ms",
            "persister.store.max-attempts=3",
            "persister.listener.poll-timeout=1s",
            "persister.listener.max-body-bytes=65536",
            "persister.follow-up.call-timeout=500ms",
            "persister.follow-up.max-attempts=4",
            "persister.follow-up.initial-backoff=50ms",
            "persister.follow-up.max-backoff=500ms",
            "persister.follow-up.circuit-breaker-open-for=2s",
            "persister.follow-up.max-entry-bytes=16384"
        })
@ActiveProfiles("local")
public abstract class EndToEndTest {

    protected static final EmbeddedAwsStack STACK = EmbeddedAwsStack.shared();
    protected static final AwsFixture AWS = new AwsFixture(STACK, "e2e");

    @Autowired
    protected MeterRegistry meters;

    /** How many events ended with this outcome so far. */
    protected double events(String outcome) {
        return meters.get("persister.events").tag("outcome", outcome).counter().count();
    }

    /**
     * Waits until no event has been processed for a while: the tests share one service, and redeliveries from an
     * earlier test would otherwise blur a test that counts.
     */
    protected void awaitQuiet() {
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .until(new java.util.concurrent.Callable<Boolean>() {
                    private double last = -1;
                    private long since = System.nanoTime();

                    @Override
                    public Boolean call() {
                        double total = meters.find("persister.events").counters().stream()
                                .mapToDouble(counter -> counter.count())
                                .sum();
                        if (total != last) {
                            last = total;
                            since = System.nanoTime();
                        }
                        return System.nanoTime() - since > QUIET.toNanos();
                    }
                });
    }

    private static final Duration QUIET = Duration.ofMillis(2500);

    @DynamicPropertySource
    static void embeddedAws(DynamicPropertyRegistry registry) {
        registry.add("spring.cloud.aws.endpoint", () -> STACK.endpoint().toString());
        registry.add("spring.cloud.aws.region.static", () -> EmbeddedAwsStack.REGION);
        registry.add("spring.cloud.aws.credentials.access-key", () -> EmbeddedAwsStack.ACCESS_KEY);
        registry.add("spring.cloud.aws.credentials.secret-key", () -> EmbeddedAwsStack.SECRET_KEY);
    }
}
