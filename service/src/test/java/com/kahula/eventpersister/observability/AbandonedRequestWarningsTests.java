package com.kahula.eventpersister.observability;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.spi.FilterReply;
import com.kahula.eventpersister.support.NettyPipelineEnd;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** Which log events the filter drops: Netty's warning about the SDK's "Request cancelled", and nothing else. */
class AbandonedRequestWarningsTests {

    private static final String PIPELINE = "io.netty.channel.DefaultChannelPipeline";
    private static final String TAIL =
            "An exceptionCaught() event was fired, and it reached at the tail of the pipeline.";

    private final AbandonedRequestWarnings filter = new AbandonedRequestWarnings();

    @Test
    void dropsNettysWarningAboutTheSdksRequestCancelled() {
        assertThat(filter.decide(event(PIPELINE, NettyPipelineEnd.requestCancelled())))
                .isEqualTo(FilterReply.DENY);
    }

    @Test
    void keepsAnyOtherExceptionAtAPipelinesEnd() {
        assertThat(filter.decide(event(PIPELINE, new IOException("Connection reset by peer"))))
                .isEqualTo(FilterReply.NEUTRAL);
        // the same message, not thrown by the SDK's handler
        assertThat(filter.decide(event(PIPELINE, new IOException("Request cancelled"))))
                .isEqualTo(FilterReply.NEUTRAL);
        assertThat(filter.decide(event(PIPELINE, null))).isEqualTo(FilterReply.NEUTRAL);
    }

    @Test
    void keepsTheSameExceptionFromAnyOtherLogger() {
        assertThat(filter.decide(event(
                        "com.kahula.eventpersister.store.DynamoDbEventStore", NettyPipelineEnd.requestCancelled())))
                .isEqualTo(FilterReply.NEUTRAL);
    }

    private static LoggingEvent event(String logger, Throwable thrown) {
        LoggerContext context = new LoggerContext();
        return new LoggingEvent(PIPELINE, context.getLogger(logger), Level.WARN, TAIL, thrown, null);
    }
}
