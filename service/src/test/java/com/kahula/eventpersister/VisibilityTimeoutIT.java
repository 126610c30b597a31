package com.kahula.eventpersister;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.kahula.embeddedaws.EmbeddedAwsStack;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;

/** The service as it starts: against a queue whose visibility timeout is below the retry budget, it does not. */
class VisibilityTimeoutIT {

    private static final EmbeddedAwsStack STACK = EmbeddedAwsStack.shared();

    @Test
    void refusesToStartWhenTheQueueCannotHoldABatchsRetryBudget() {
        SpringApplicationBuilder service =
                new SpringApplicationBuilder(EventPersisterApplication.class).profiles("local", "e2e");

        assertThatThrownBy(() -> service.run(
                                "--spring.cloud.aws.endpoint=" + STACK.endpoint(),
                                "--spring.cloud.aws.region.static=" + EmbeddedAwsStack.REGION,
                                "--spring.cloud.aws.credentials.access-key=" + EmbeddedAwsStack.ACCESS_KEY,
                                "--spring.cloud.aws.credentials.secret-key=" + EmbeddedAwsStack.SECRET_KEY,
                                "--server.port=0",
                                "--persister.env=e2e-visibility",
                                // below the e2e profile's retry budget
                                "--persister.provisioning.visibility-timeout=3s")
                        .close())
                .rootCause()
                .hasMessageContaining("kahula-event-persister-e2e-visibility has a visibility timeout of 3 s")
                .hasMessageContaining("below the 6 s")
                .hasMessageContaining("persister.provisioning.visibility-timeout");
    }
}
