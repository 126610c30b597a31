package com.kahula.eventpersister;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Starts the event persister. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class EventPersisterApplication {

    public static void main(String[] args) {
        SpringApplication.run(EventPersisterApplication.class, args);
    }
}
