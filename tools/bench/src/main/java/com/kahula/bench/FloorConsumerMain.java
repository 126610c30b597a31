package com.kahula.bench;

import com.kahula.eventpersister.event.EventMapping;
import com.kahula.eventpersister.event.EventParser;
import com.kahula.eventpersister.event.ParseResult;
import com.kahula.eventpersister.store.EventTable;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The floor: the best a hand-written loop does on the SDK's async clients. Loops that each ReceiveMessage(P), then
 * make one conditional PutItem per message, all in parallel, then one DeleteMessageBatch of the successes; as many
 * loops as hold N messages in flight, the last one receiving what is left of N. N and P are the service's
 * {@code max-concurrent-messages} and {@code max-messages-per-poll} as the bench runs it ({@code --in-flight}). Per
 * event it does the service's own work (parse, canonical hash, the same item), so the difference to the service is the
 * plumbing. The clients keep the SDK's defaults but for the DynamoDB client's connections, sized as the service sizes
 * its own, so that every PutItem in flight has one. Runs until killed.
 *
 * <p>Arguments: {@code <sqs endpoint> <dynamodb endpoint> <queue name> <table name> <in flight> <messages per poll>}.
 */
public final class FloorConsumerMain {

    private static final String NOT_YET_STORED = "attribute_not_exists(" + EventTable.UNIQUE_ID + ")";

    private FloorConsumerMain() {}

    public static void main(String[] args) throws InterruptedException {
        URI sqsEndpoint = URI.create(args[0]);
        URI dynamoDbEndpoint = URI.create(args[1]);
        String queueName = args[2];
        String tableName = args[3];
        int inFlight = Integer.parseInt(args[4]);
        int perPoll = Integer.parseInt(args[5]);
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
        SqsAsyncClient sqs = SqsAsyncClient.builder()
                .endpointOverride(sqsEndpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(credentials)
                .build();
        DynamoDbAsyncClient dynamoDb = DynamoDbAsyncClient.builder()
                .endpointOverride(dynamoDbEndpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(credentials)
                // as the service's AwsClientConfiguration: the SDK's default, or one per message in flight if more
                .httpClientBuilder(NettyNioAsyncHttpClient.builder().maxConcurrency(Math.max(50, inFlight)))
                .build();
        EventParser parser = new EventParser(EventMapping.defaults(), 262_144);
        String queueUrl =
                sqs.getQueueUrl(request -> request.queueName(queueName)).join().queueUrl();
        List<Thread> threads = new ArrayList<>();
        for (int receive : receives(inFlight, perPoll)) {
            threads.add(Thread.ofPlatform()
                    .name("floor-" + threads.size())
                    .start(() -> loop(sqs, dynamoDb, parser, queueUrl, tableName, receive)));
        }
        for (Thread thread : threads) {
            thread.join();
        }
    }

    /** How many messages each loop receives at a time: {@code perPoll}, the last one what is left of {@code inFlight}. */
    static List<Integer> receives(int inFlight, int perPoll) {
        List<Integer> receives = new ArrayList<>();
        for (int left = inFlight; left > 0; left -= perPoll) {
            receives.add(Math.min(perPoll, left));
        }
        return receives;
    }

    private static void loop(
            SqsAsyncClient sqs,
            DynamoDbAsyncClient dynamoDb,
            EventParser parser,
            String queueUrl,
            String table,
            int receive) {
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
            List<CompletableFuture<Boolean>> puts = new ArrayList<>(messages.size());
            for (Message message : messages) {
                puts.add(put(dynamoDb, parser, table, message.body()));
            }
            List<DeleteMessageBatchRequestEntry> done = new ArrayList<>(messages.size());
            for (int i = 0; i < messages.size(); i++) {
                if (puts.get(i).join()) {
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

    private static CompletableFuture<Boolean> put(
            DynamoDbAsyncClient dynamoDb, EventParser parser, String table, String body) {
        if (!(parser.parse(body, Instant.now()) instanceof ParseResult.Parsed parsed)) {
            return CompletableFuture.completedFuture(false);
        }
        return dynamoDb.putItem(request -> request.tableName(table)
                        .item(EventTable.item(parsed.event(), Optional.empty()))
                        .conditionExpression(NOT_YET_STORED))
                .handle((response, error) -> error == null
                        || error.getCause() instanceof ConditionalCheckFailedException
                        || error instanceof ConditionalCheckFailedException);
    }
}
