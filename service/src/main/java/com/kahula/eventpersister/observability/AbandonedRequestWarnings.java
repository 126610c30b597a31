package com.kahula.eventpersister.observability;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;
import java.io.IOException;
import java.util.Iterator;
import org.slf4j.LoggerFactory;

/**
 * Drops one warning and nothing else: Netty's "exceptionCaught() ... reached at the tail of the pipeline" for the
 * {@code IOException("Request cancelled")} that the SDK's Netty client ({@code FutureCancelHandler}) sends down a
 * connection's pipeline once the SDK has abandoned the request on it (its attempt timeout, a cancel, a failure it
 * forwards; aws-sdk-java-v2 #2713 reports the like). The SDK has the request's failure by then and retries it or
 * fails the call; Netty would log a stack trace for each. Any other exception at a pipeline's end is still logged. An
 * appender's filter, not a turbo filter: it sees only events being written, never the level checks of every AWS call.
 */
public final class AbandonedRequestWarnings extends Filter<ILoggingEvent> {

    static final String PIPELINE_LOGGER = "io.netty.channel.DefaultChannelPipeline";
    static final String SDK_HANDLER = "software.amazon.awssdk.http.nio.netty.internal.FutureCancelHandler";

    @Override
    public FilterReply decide(ILoggingEvent event) {
        return PIPELINE_LOGGER.equals(event.getLoggerName()) && fromAnAbandonedRequest(event.getThrowableProxy())
                ? FilterReply.DENY
                : FilterReply.NEUTRAL;
    }

    private static boolean fromAnAbandonedRequest(IThrowableProxy thrown) {
        if (thrown == null
                || !IOException.class.getName().equals(thrown.getClassName())
                || !"Request cancelled".equals(thrown.getMessage())) {
            return false;
        }
        StackTraceElementProxy[] frames = thrown.getStackTraceElementProxyArray();
        return frames.length > 0
                && SDK_HANDLER.equals(frames[0].getStackTraceElement().getClassName());
    }

    /** Adds the filter to each appender of the root logger that has none yet; without Logback, does nothing. */
    public static void addToRootAppenders() {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        for (Iterator<Appender<ILoggingEvent>> appenders = root.iteratorForAppenders(); appenders.hasNext(); ) {
            Appender<ILoggingEvent> appender = appenders.next();
            if (appender.getCopyOfAttachedFiltersList().stream()
                    .noneMatch(AbandonedRequestWarnings.class::isInstance)) {
                AbandonedRequestWarnings filter = new AbandonedRequestWarnings();
                filter.setContext(context);
                filter.start();
                appender.addFilter(filter);
            }
        }
    }
}
