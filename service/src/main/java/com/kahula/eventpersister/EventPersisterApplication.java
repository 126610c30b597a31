package com.kahula.eventpersister;

import com.kahula.eventpersister.toolkit.Toolkit;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.micrometer.metrics.autoconfigure.logging.logback.LogbackMetricsAutoConfiguration;

/**
 * Starts the event persister, or runs one command of the operator's toolkit.
 *
 * <p>Without Spring Boot's Logback metrics: they count log events through a Logback turbo filter, which every logger
 * consults on every level check, enabled or not, and the SDK and Netty make such checks on every AWS call; their
 * {@code logback.events} are not among the meters CloudWatch takes ({@code PersisterMetrics.billedMetersOnly}).
 */
@SpringBootApplication(exclude = LogbackMetricsAutoConfiguration.class)
@ConfigurationPropertiesScan
public class EventPersisterApplication {

    public static void main(String[] args) {
        if (Toolkit.handles(args)) {
            // an operator's command (saga, restore, replay, followups): no Spring context, no web server, no listener
            System.exit(Toolkit.runFromCommandLine(args));
        }
        SpringApplication.run(EventPersisterApplication.class, args);
    }
}
