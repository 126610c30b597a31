package com.kahula.eventpersister.listener;

import io.awspring.cloud.sqs.annotation.SqsListener;
import io.awspring.cloud.sqs.listener.acknowledgement.BatchAcknowledgement;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.springframework.messaging.Message;
import org.springframework.stereotype.Component;

/** Receives the queue's messages in batches and acknowledges exactly those the pipeline finished. */
@Component
class EventBatchListener {

    private final EventPipeline pipeline;

    EventBatchListener(EventPipeline pipeline) {
        this.pipeline = pipeline;
    }

    @SqsListener("${persister.queue.name}")
    CompletableFuture<Void> onBatch(List<Message<String>> batch, BatchAcknowledgement<String> acknowledgement) {
        return pipeline.process(batch)
                .thenCompose(done -> done.isEmpty()
                        ? CompletableFuture.completedFuture(null)
                        : acknowledgement.acknowledgeAsync(done));
    }
}
