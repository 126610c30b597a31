package com.kahula.bench;

import com.kahula.eventpersister.config.ListenerContainerOptions;
import com.kahula.eventpersister.config.PersisterProperties;
import com.kahula.eventpersister.observability.AbandonedRequestWarnings;
import io.awspring.cloud.sqs.annotation.SqsListener;
import io.awspring.cloud.sqs.config.SqsBootstrapConfiguration;
import io.awspring.cloud.sqs.config.SqsMessageListenerContainerFactory;
import io.awspring.cloud.sqs.listener.acknowledgement.BatchAcknowledgement;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.messaging.Message;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/**
 * The floor on spring-cloud-aws's listener container: the floor's work per message ({@link FloorStore}, rules off),
 * received and acknowledged by the container the service runs, with the service's options, {@code
 * ListenerContainerOptions} (an {@code @SqsListener} of batches, acknowledged by hand and at once, every message
 * attribute and two system attributes asked for, the same messages in flight and per poll, the service's limit on
 * messages in flight and the container's adaptive throughput in one composite, virtual threads), in a plain Spring
 * context with nothing else: no Spring Boot, no metrics, tracing, retries or logging of its own. Against the floor it
 * is the container's cost; against the service with its rules off, the service's own plumbing. Runs until killed.
 *
 * <p>Arguments: the floor's, {@code <sqs endpoint> <dynamodb endpoint> <queue name> <table name> <in flight>
 * <messages per poll>}.
 */
public final class ContainerFloorMain {

    private ContainerFloorMain() {}

    public static void main(String[] args) throws InterruptedException {
        // the service's filter of Netty's warning for a request the SDK abandoned: the same container and clients as
        // the service's, so that the floor's log holds what the service's would
        AbandonedRequestWarnings.addToRootAppenders();
        var credentials = FloorConsumerMain.credentials();
        SqsAsyncClient sqs = FloorConsumerMain.sqs(URI.create(args[0]), credentials);
        DynamoDbAsyncClient dynamoDb =
                FloorConsumerMain.dynamoDb(URI.create(args[1]), credentials, Integer.parseInt(args[4]));
        FloorStore store = new FloorStore(dynamoDb, args[3], FloorFollowUps.none(dynamoDb, args[3]));
        GenericApplicationContext context = new GenericApplicationContext();
        context.getEnvironment()
                .getPropertySources()
                .addFirst(new MapPropertySource("floor", Map.of("bench.queue", args[2])));
        // what @EnableSqs imports: the @SqsListener post-processor and the containers' registry
        new SqsBootstrapConfiguration()
                .registerBeanDefinitions(AnnotationMetadata.introspect(ContainerFloorMain.class), context);
        context.registerBean(
                "defaultSqsListenerContainerFactory",
                SqsMessageListenerContainerFactory.class,
                () -> containerFactory(sqs, Integer.parseInt(args[4]), Integer.parseInt(args[5])));
        context.registerBean(BatchListener.class, () -> new BatchListener(store));
        context.refresh();
        new CountDownLatch(1).await();
    }

    /**
     * The service's container options, but for the store's pause, which the floor does not have: the service's
     * listener settings by default but for the messages in flight and per poll, the bench's.
     */
    private static SqsMessageListenerContainerFactory<Object> containerFactory(
            SqsAsyncClient sqs, int inFlight, int perPoll) {
        SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor("sqs-listener-");
        executor.setVirtualThreads(true);
        PersisterProperties.Listener defaults = BenchOptions.SERVICE_LISTENER;
        PersisterProperties.Listener listener = new PersisterProperties.Listener(
                perPoll, inFlight, defaults.pollTimeout(), defaults.maxBodyBytes(), defaults.shutdownTimeout());
        return SqsMessageListenerContainerFactory.builder()
                .sqsAsyncClient(sqs)
                .configure(options -> ListenerContainerOptions.configure(options, listener, executor, List.of()))
                .build();
    }

    /** Stores each message of a batch in parallel, then acknowledges the stored. */
    static final class BatchListener {

        private final FloorStore store;

        BatchListener(FloorStore store) {
            this.store = store;
        }

        @SqsListener("${bench.queue}")
        CompletableFuture<Void> onBatch(List<Message<String>> batch, BatchAcknowledgement<String> acknowledgement) {
            List<CompletableFuture<FloorStore.Stored>> puts = new ArrayList<>(batch.size());
            for (Message<String> message : batch) {
                puts.add(store.store(message.getPayload()));
            }
            return CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new))
                    .thenCompose(all -> {
                        List<Message<String>> done = new ArrayList<>(batch.size());
                        for (int i = 0; i < batch.size(); i++) {
                            if (puts.get(i).join().done()) {
                                done.add(batch.get(i));
                            }
                        }
                        return done.isEmpty()
                                ? CompletableFuture.<Void>completedFuture(null)
                                : acknowledgement.acknowledgeAsync(done);
                    });
        }
    }
}
