package com.kahula.embeddedaws;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.test.context.junit.jupiter.SpringJUnitConfig;

/** The Spring configuration starts a stack and points Spring Cloud AWS at it. */
@SpringJUnitConfig(EmbeddedAwsStackConfiguration.class)
class EmbeddedAwsStackConfigurationIT {

    @Autowired
    EmbeddedAwsStack stack;

    @Autowired
    Environment environment;

    @Test
    void pointsSpringCloudAwsAtTheStack() {
        assertThat(stack.port()).isPositive();
        assertThat(environment.getProperty("spring.cloud.aws.endpoint"))
                .isEqualTo(stack.endpoint().toString());
        assertThat(environment.getProperty("spring.cloud.aws.region.static")).isEqualTo("us-east-1");
        assertThat(environment.getProperty("spring.cloud.aws.credentials.access-key"))
                .isEqualTo("test");
        assertThat(environment.getProperty("spring.cloud.aws.credentials.secret-key"))
                .isEqualTo("test");
    }
}
