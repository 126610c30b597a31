package com.kahula.eventpersister.observability;

import com.kahula.eventpersister.event.StoredEvent;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

/**
 * Puts an event's ids in the logging context (aws_id, unique_id, saga_id) for the lines logged about it, whatever
 * thread the asynchronous pipeline is on; structured logs carry them as fields.
 */
final class EventLogContext {

    private EventLogContext() {}

    static void about(@Nullable StoredEvent event, Runnable logging) {
        if (event == null) {
            logging.run();
            return;
        }
        try (var awsId = MDC.putCloseable("aws_id", LogValues.bounded(event.awsId()));
                var uniqueId = MDC.putCloseable("unique_id", LogValues.bounded(event.uniqueId()));
                var sagaId = MDC.putCloseable(
                        "saga_id", event.sagaId() == null ? null : LogValues.bounded(event.sagaId()))) {
            logging.run();
        }
    }
}
