package com.kahula.eventpersister.toolkit;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.core.ConsoleAppender;
import com.kahula.eventpersister.observability.AbandonedRequestWarnings;
import org.slf4j.LoggerFactory;

/**
 * Logging for a command run outside Spring Boot: warnings and errors only, on stderr, so that stdout holds just the
 * command's output (NDJSON stays parseable). Without it logback's default would print the SDK's DEBUG lines on stdout.
 */
final class QuietLogging {

    private QuietLogging() {}

    static void apply() {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        context.reset();
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%level %logger{20}: %msg%n");
        encoder.start();
        ConsoleAppender<ch.qos.logback.classic.spi.ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder);
        stderr.start();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.WARN);
        root.addAppender(stderr);
        AbandonedRequestWarnings.addToRootAppenders();
    }
}
