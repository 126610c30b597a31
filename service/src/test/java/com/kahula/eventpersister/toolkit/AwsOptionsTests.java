package com.kahula.eventpersister.toolkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The toolkit finds the table, queues and bus the service's configuration names, unless told otherwise. */
class AwsOptionsTests {

    private static final Map<String, String> CONFIGURED = Map.of(
            "PERSISTER_TABLE_NAME", "orders-events",
            "PERSISTER_QUEUE_NAME", "orders-inbox",
            "PERSISTER_BUS_NAME", "orders-bus");

    @Test
    void namesFollowTheEnvLikeTheServicesDefaults() {
        ServiceSettings.Names names = options("--env", "prod").names(Map.of());

        assertThat(names)
                .isEqualTo(new ServiceSettings.Names(
                        "kahula-events-prod",
                        "kahula-event-persister-prod",
                        "kahula-event-persister-prod-dlq",
                        "kahula-events-prod"));
    }

    @Test
    void usesTheNamesTheServiceIsConfiguredWith() {
        ServiceSettings.Names names = options("--env", "prod").names(CONFIGURED);

        assertThat(names)
                .isEqualTo(
                        new ServiceSettings.Names("orders-events", "orders-inbox", "orders-inbox-dlq", "orders-bus"));
    }

    @Test
    void readsTheDeadLetterQueuesNameAsTheServiceDoes() {
        ServiceSettings.Names names =
                options().names(Map.of("PERSISTER_QUEUE_DEADLETTERNAME", "parked", "PERSISTER_ENV", "ignored"));

        assertThat(names.deadLetterQueue()).isEqualTo("parked");
    }

    @Test
    void commandLineOptionsOverrideTheConfiguredNames() {
        ServiceSettings.Names names =
                options("--table", "t", "--queue", "q", "--bus", "b").names(CONFIGURED);

        assertThat(names).isEqualTo(new ServiceSettings.Names("t", "q", "q-dlq", "b"));
        assertThat(options("--dead-letter-queue", "d").names(CONFIGURED).deadLetterQueue())
                .isEqualTo("d");
    }

    private static AwsOptions options(String... args) {
        return CommandLine.populateCommand(new AwsOptions(), args);
    }
}
