package com.kahula.eventpersister.support;

import com.kahula.eventpersister.EventPersisterApplication;
import com.kahula.eventpersister.embedded.EmbeddedAwsStack;
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
            "persister.listener.max-body-bytes=65536"
        })
@ActiveProfiles("local")
public abstract class EndToEndTest {

    protected static final EmbeddedAwsStack STACK = EmbeddedAwsStack.shared();
    protected static final AwsFixture AWS = new AwsFixture(STACK.endpoint(), "e2e");

    @DynamicPropertySource
    static void embeddedAws(DynamicPropertyRegistry registry) {
        registry.add("spring.cloud.aws.endpoint", () -> STACK.endpoint().toString());
        registry.add("spring.cloud.aws.region.static", () -> EmbeddedAwsStack.REGION);
        registry.add("spring.cloud.aws.credentials.access-key", () -> EmbeddedAwsStack.ACCESS_KEY);
        registry.add("spring.cloud.aws.credentials.secret-key", () -> EmbeddedAwsStack.SECRET_KEY);
    }
}
