package com.kahula.bench;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The floor: the best a hand-written loop does on the SDK's async clients, making the service's calls. Loops that each
 * ReceiveMessage(P), then make one conditional PutItem per message, all in parallel (on a refused condition, the stored
 * item's hash and follow-up state, read as the service reads them where the refusal does not carry the item), then, with
 * the service's follow-up rules, one PutEvents of the batch's pending follow-ups and their EMITTED marks
 * ({@link FloorFollowUps}), then one DeleteMessageBatch of the stored; as many loops as hold N messages in flight, the
 * last one receiving what is left of N. N and P are the service's {@code max-concurrent-messages} and {@code
 * max-messages-per-poll} as the bench runs it ({@code --in-flight}). Per event it does the service's own work (parse,
 * canonical hash, rule match, the same item and follow-up), so the difference to the service is the plumbing. The
 * clients keep the SDK's defaults but for the DynamoDB client's connections, sized as the service sizes its own, so
 * that every PutItem in flight has one. Runs until killed.
 *
 * <p>Arguments: {@code <sqs endpoint> <dynamodb endpoint> <queue name> <table name> <in flight> <messages per poll>},
 * then, for the follow-ups, {@code <eventbridge endpoint> <bus name>}.
 */
public final class FloorConsumerMain {

    private final FloorStore store;

    private FloorConsumerMain(FloorStore store) {
        this.store = store;
    }

    public static void main(String[] args) throws InterruptedException {
        URI sqsEndpoint = URI.create(args[0]);
        URI dynamoDbEndpoint = URI.create(args[1]);
        String queueName = args[2];
        String tableName = args[3];
        int inFlight = Integer.parseInt(args[4]);
        int perPoll = Integer.parseInt(args[5]);
        var credentials = credentials();
        SqsAsyncClient sqs = sqs(sqsEndpoint, credentials);
        DynamoDbAsyncClient dynamoDb = dynamoDb(dynamoDbEndpoint, credentials, inFlight);
        FloorFollowUps followUps = args.length > 7
                ? FloorFollowUps.onBus(URI.create(args[6]), args[7], credentials, dynamoDb, tableName)
                : FloorFollowUps.none(dynamoDb, tableName);
        FloorConsumerMain floor = new FloorConsumerMain(new FloorStore(dynamoDb, tableName, followUps));
        String queueUrl =
                sqs.getQueueUrl(request -> request.queueName(queueName)).join().queueUrl();
        List<Thread> threads = new ArrayList<>();
        for (int receive : receives(inFlight, perPoll)) {
            threads.add(Thread.ofPlatform()
                    .name("floor-" + threads.size())
                    .start(() -> floor.loop(sqs, queueUrl, receive)));
        }
        for (Thread thread : threads) {
            thread.join();
        }
    }

    static StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
    }

    /** The SDK's SQS client with its defaults. */
    static SqsAsyncClient sqs(URI endpoint, StaticCredentialsProvider credentials) {
        return SqsAsyncClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(credentials)
                .build();
    }

    /** The SDK's DynamoDB client with its defaults but for its connections, sized as the service sizes its own. */
    static DynamoDbAsyncClient dynamoDb(URI endpoint, StaticCredentialsProvider credentials, int inFlight) {
        return DynamoDbAsyncClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(credentials)
                // as the service's AwsClientConfiguration: the SDK's default, or one per message in flight if more
                .httpClientBuilder(NettyNioAsyncHttpClient.builder().maxConcurrency(Math.max(50, inFlight)))
                .build();
    }

    /** How many messages each loop receives at a time: {@code perPoll}, the last one what is left of {@code inFlight}. */
    static List<Integer> receives(int inFlight, int perPoll) {
        List<Integer> receives = new ArrayList<>();
        for (int left = inFlight; left > 0; left -= perPoll) {
            receives.add(Math.min(perPoll, left));
        }
        return receives;
    }

    private void loop(SqsAsyncClient sqs, String queueUrl, int receive) {
        while (true) {
            List<Message> messages;
            try {
                messages = sqs.receiveMessage(request -> request.queueUrl(queueUrl)
                                .maxNumberOfMessages(receive)
                                .waitTimeSeconds(20))
                        .join()
                        .messages();
            } catch (CompletionException e) {
                continue;
            }
            if (messages.isEmpty()) {
                continue;
            }
            List<CompletableFuture<FloorStore.Stored>> puts = new ArrayList<>(messages.size());
            for (Message message : messages) {
                puts.add(store.store(message.body()));
            }
            List<FloorStore.Stored> stored =
                    puts.stream().map(CompletableFuture::join).toList();
            store.followUps()
                    .publish(stored.stream()
                            .map(FloorStore.Stored::pending)
                            .filter(Objects::nonNull)
                            .toList())
                    .join();
            List<DeleteMessageBatchRequestEntry> done = new ArrayList<>(messages.size());
            for (int i = 0; i < messages.size(); i++) {
                if (stored.get(i).done()) {
                    done.add(DeleteMessageBatchRequestEntry.builder()
                            .id(Integer.toString(i))
                            .receiptHandle(messages.get(i).receiptHandle())
                            .build());
                }
            }
            if (!done.isEmpty()) {
                sqs.deleteMessageBatch(request -> request.queueUrl(queueUrl).entries(done))
                        .exceptionally(error -> null)
                        .join();
            }
        }
    }
}
