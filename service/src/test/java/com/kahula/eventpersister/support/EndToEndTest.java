package com.kahula.eventpersister.support;

import com.kahula.embeddedaws.EmbeddedAwsStack;
import com.kahula.eventpersister.EventPersisterApplication;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the end-to-end tests on the embedded AWS stack (one per test JVM): the service as it runs with the
 * {@code local} profile, with its own env so that its queue, table and bus are its own, and the e2e profile's short
 * timeouts.
 */
@SpringBootTest(
        classes = EventPersisterApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "persister.env=e2e")
@ActiveProfiles({"local", "e2e"})
public abstract class EndToEndTest implements EndToEnd {

    protected static final EmbeddedAwsStack STACK = EmbeddedAwsStack.shared();
    protected static final AwsFixture AWS = new AwsFixture(STACK, "e2e");

    @Autowired
    protected MeterRegistry meters;

    @DynamicPropertySource
    static void embeddedAws(DynamicPropertyRegistry registry) {
        registry.add("spring.cloud.aws.endpoint", () -> STACK.endpoint().toString());
        registry.add("spring.cloud.aws.region.static", () -> EmbeddedAwsStack.REGION);
        registry.add("spring.cloud.aws.credentials.access-key", () -> EmbeddedAwsStack.ACCESS_KEY);
        registry.add("spring.cloud.aws.credentials.secret-key", () -> EmbeddedAwsStack.SECRET_KEY);
    }

    @Override
    public AwsFixture aws() {
        return AWS;
    }

    @Override
    public double events(String outcome) {
        return ServiceMetrics.events(meters, outcome);
    }

    @Override
    public void awaitQuiet() {
        ServiceMetrics.awaitQuiet(meters);
    }
}
