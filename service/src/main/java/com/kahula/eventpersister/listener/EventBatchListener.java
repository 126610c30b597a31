package com.kahula.eventpersister.listener;

import io.awspring.cloud.sqs.annotation.SqsListener;
import io.awspring.cloud.sqs.listener.acknowledgement.BatchAcknowledgement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
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
        return pipeline.process(batch).thenCompose(done -> {
            CompletableFuture<Void> acknowledged = CompletableFuture.completedFuture(null);
            for (List<Message<String>> round : withDistinctIds(done)) {
                acknowledged = acknowledged.thenCompose(previous -> acknowledgement.acknowledgeAsync(round));
            }
            return acknowledged;
        });
    }

    /**
     * Splits the messages into rounds in which no message id appears twice. SQS may deliver one message twice in a
     * batch (at least once), and spring-cloud-aws 4.1.0 names each DeleteMessageBatch entry by the message id: two
     * entries with one id fail the whole call, and every other message of the batch would be delivered again. The fix
     * (spring-cloud-aws #1654) ships in 4.1.1, whose starters this build cannot resolve yet.
     */
    static List<List<Message<String>>> withDistinctIds(List<Message<String>> messages) {
        List<List<Message<String>>> rounds = new ArrayList<>();
        List<Set<UUID>> idsOfRounds = new ArrayList<>();
        for (Message<String> message : messages) {
            UUID id = message.getHeaders().getId();
            int round = 0;
            while (round < rounds.size() && idsOfRounds.get(round).contains(id)) {
                round++;
            }
            if (round == rounds.size()) {
                rounds.add(new ArrayList<>());
                idsOfRounds.add(new HashSet<>());
            }
            rounds.get(round).add(message);
            idsOfRounds.get(round).add(id);
        }
        return rounds;
    }
}
