package com.kahula.eventpersister.tracing;

import com.kahula.eventpersister.event.TraceContext;
import com.kahula.eventpersister.listener.FollowUpSend;
import com.kahula.eventpersister.listener.FollowUpTracing;
import com.kahula.eventpersister.listener.MessageTrace;
import com.kahula.eventpersister.listener.MessageTracing;
import io.awspring.cloud.sqs.MessageHeaderUtils;
import io.awspring.cloud.sqs.listener.SqsHeaders;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.messaging.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * Micrometer observations of each message's work, which Spring Boot's OpenTelemetry support turns into spans: the
 * message's span continues the context its SQS message carries, read once by {@link IncomingTrace} ({@link
 * ContinuedSpans} starts it from that).
 */
final class ObservedMessages implements MessageTracing, FollowUpTracing {

    /** The names of this service's observations start with it. */
    static final String PREFIX = "persister.trace.";

    private final ObservationRegistry registry;

    ObservedMessages(ObservationRegistry registry) {
        this.registry = registry;
    }

    @Override
    public MessageTrace start(Message<String> message) {
        TraceContext arrivedWith = IncomingTrace.of(carrier(message)).orElse(null);
        Observation observation =
                continued("message", "persister process", "sqs", arrivedWith).start();
        try {
            ObservedMessage traced = new ObservedMessage(registry, observation, arrivedWith);
            if (traced.sampled()) {
                observation.highCardinalityKeyValue(
                        "messaging.message.id", String.valueOf(MessageHeaderUtils.getId(message)));
            }
            return traced;
        } catch (RuntimeException error) {
            // the message goes on untraced (the pipeline's choice), and its span ends here
            observation.stop();
            throw error;
        }
    }

    /**
     * A span {@code persister resend}, child of the context the item keeps (the producer's span), around the span of
     * the send: the follow-up continues its source event's trace though its message is long gone.
     */
    @Override
    public FollowUpSend resuming(@Nullable TraceContext kept, String type) {
        try {
            return resumed(kept, type);
        } catch (RuntimeException error) {
            TracingFailures.report(error);
            return FollowUpSend.NONE;
        }
    }

    private FollowUpSend resumed(@Nullable TraceContext kept, String type) {
        Observation resend =
                continued("resend", "persister resend", "dynamodb", kept).start();
        FollowUpSend send = new ObservedMessage(registry, resend, kept).sending(type);
        return new FollowUpSend() {
            @Override
            public @Nullable String traceHeader() {
                return send.traceHeader();
            }

            @Override
            public void end(String result, @Nullable Throwable cause) {
                send.end(result, cause);
                ObservedMessage.ended(resend, null);
            }
        };
    }

    /** An observation continuing {@code parent} (a new trace when null), of work on what came from {@code remoteService}. */
    private Observation continued(String name, String spanName, String remoteService, @Nullable TraceContext parent) {
        ContinuedSpans.Continued context = new ContinuedSpans.Continued(parent, remoteService);
        return Observation.createNotStarted(PREFIX + name, () -> context, registry)
                .contextualName(spanName);
    }

    /** The message's trace headers, from the SQS message the container keeps with it. */
    static Map<String, String> carrier(Message<String> message) {
        if (!(message.getHeaders().get(SqsHeaders.SQS_SOURCE_DATA_HEADER)
                instanceof software.amazon.awssdk.services.sqs.model.Message source)) {
            return Map.of();
        }
        MessageAttributeValue traceparent = source.messageAttributes().get(IncomingTrace.TRACEPARENT);
        return IncomingTrace.carrier(
                source.attributes().get(MessageSystemAttributeName.AWS_TRACE_HEADER),
                traceparent == null ? null : traceparent.stringValue());
    }
}
