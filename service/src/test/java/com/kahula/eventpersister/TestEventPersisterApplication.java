package com.kahula.eventpersister;

import com.kahula.embeddedaws.EmbeddedAwsStackConfiguration;
import java.util.Arrays;
import java.util.stream.Stream;
import org.springframework.boot.SpringApplication;

/**
 * Runs the service on the embedded AWS stack (ElasticMQ, dynalite, the EventBridge emulator) behind one endpoint on
 * port 4566, provisioned as the local profile does: {@code ./mvnw spring-boot:test-run}. No Docker, no AWS account.
 * The pom names this class as test-run's main class, so no other main class in the test sources can be picked.
 */
public class TestEventPersisterApplication {

    private static final String PORT_ARGUMENT = "--embedded-aws.port=";

    public static void main(String[] args) {
        SpringApplication.from(EventPersisterApplication::main)
                .with(EmbeddedAwsStackConfiguration.class)
                .withAdditionalProfiles("local")
                .run(withDefaultPort(args));
    }

    /**
     * Adds port 4566 unless the arguments name one: a second {@code --embedded-aws.port} would not replace the first
     * but join it ("4566,4577"), which is no port.
     */
    static String[] withDefaultPort(String[] args) {
        if (Arrays.stream(args).anyMatch(arg -> arg.startsWith(PORT_ARGUMENT))) {
            return args;
        }
        return Stream.concat(Stream.of(PORT_ARGUMENT + "4566"), Arrays.stream(args))
                .toArray(String[]::new);
    }
}
