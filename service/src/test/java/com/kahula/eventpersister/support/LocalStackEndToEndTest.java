package com.kahula.eventpersister.support;

import com.kahula.eventpersister.EventPersisterApplication;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * Base of the end-to-end scenarios on LocalStack, the image docker-compose.yml pins, in a container: runs where Docker
 * runs, and is skipped elsewhere ("disabledWithoutDocker is true and Docker is not available").
 */
@Testcontainers(disabledWithoutDocker = true)
@SpringBootTest(
        classes = EventPersisterApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "persister.env=localstack")
@ActiveProfiles({"local", "e2e"})
public abstract class LocalStackEndToEndTest implements EndToEnd {

    @Container
    protected static final LocalStackContainer LOCALSTACK =
            new LocalStackContainer(DockerImageName.parse(LocalStackImage.NAME));

    private static AwsFixture aws;

    @Autowired
    protected MeterRegistry meters;

    @DynamicPropertySource
    static void localStack(DynamicPropertyRegistry registry) {
        registry.add("spring.cloud.aws.endpoint", () -> LOCALSTACK.getEndpoint().toString());
        registry.add("spring.cloud.aws.region.static", LOCALSTACK::getRegion);
        registry.add("spring.cloud.aws.credentials.access-key", LOCALSTACK::getAccessKey);
        registry.add("spring.cloud.aws.credentials.secret-key", LOCALSTACK::getSecretKey);
    }

    @Override
    public synchronized AwsFixture aws() {
        if (aws == null) {
            aws = new AwsFixture(URI.create(LOCALSTACK.getEndpoint().toString()), "localstack");
        }
        return aws;
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
