package com.kahula.eventpersister;

import com.kahula.eventpersister.toolkit.Toolkit;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Starts the event persister, or runs one command of the operator's toolkit. */
@SpringBootApplication
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
