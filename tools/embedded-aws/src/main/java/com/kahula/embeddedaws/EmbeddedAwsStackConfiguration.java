package com.kahula.embeddedaws;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistrar;

/** Starts an {@link EmbeddedAwsStack} with the context and points Spring Cloud AWS at it. */
@TestConfiguration(proxyBeanMethods = false)
public class EmbeddedAwsStackConfiguration {

    /** Port 0 (a free port) for tests; the runnable application sets {@code embedded-aws.port=4566} for the CLI. */
    @Bean(destroyMethod = "close")
    EmbeddedAwsStack embeddedAwsStack(@Value("${embedded-aws.port:0}") int port) {
        return EmbeddedAwsStack.start(port);
    }

    @Bean
    DynamicPropertyRegistrar embeddedAwsProperties(EmbeddedAwsStack stack) {
        return registry -> {
            registry.add("spring.cloud.aws.endpoint", () -> stack.endpoint().toString());
            registry.add("spring.cloud.aws.region.static", () -> EmbeddedAwsStack.REGION);
            registry.add("spring.cloud.aws.credentials.access-key", () -> EmbeddedAwsStack.ACCESS_KEY);
            registry.add("spring.cloud.aws.credentials.secret-key", () -> EmbeddedAwsStack.SECRET_KEY);
        };
    }
}
