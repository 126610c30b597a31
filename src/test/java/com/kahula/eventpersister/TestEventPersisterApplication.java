package com.kahula.eventpersister;

import com.kahula.eventpersister.embedded.EmbeddedAwsStackConfiguration;
import java.util.stream.Stream;
import org.springframework.boot.SpringApplication;

/**
 * Runs the service on the embedded AWS stack (ElasticMQ, dynalite, the EventBridge emulator) behind one endpoint on
 * port 4566, provisioned as the local profile does: {@code ./mvnw spring-boot:test-run}. No Docker, no AWS account.
 */
public class TestEventPersisterApplication {

    public static void main(String[] args) {
        String[] withDefaults = Stream.concat(Stream.of("--embedded-aws.port=4566"), Stream.of(args))
                .toArray(String[]::new);
        SpringApplication.from(EventPersisterApplication::main)
                .with(EmbeddedAwsStackConfiguration.class)
                .withAdditionalProfiles("local")
                .run(withDefaults);
    }
}
