package com.kahula.bench;

import com.kahula.eventpersister.aws.AwsErrors;
import com.kahula.eventpersister.event.EventMapping;
import com.kahula.eventpersister.event.EventParser;
import com.kahula.eventpersister.event.ParseResult;
import com.kahula.eventpersister.event.StoredEvent;
import com.kahula.eventpersister.store.EventTable;
import com.kahula.eventpersister.store.FollowUpMark;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
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

    private static final String NOT_YET_STORED = "attribute_not_exists(" + EventTable.UNIQUE_ID + ")";
    private static final String STORED_STATE = String.join(
            ",",
            EventTable.PAYLOAD_HASH,
            EventTable.FOLLOW_UP_STATUS,
            EventTable.FOLLOW_UP_ID,
            EventTable.FOLLOW_UP_TYPE);

    /** What became of one message: stored (or found stored), with the follow-up it still waits for, if any. */
    private record Stored(boolean done, FloorFollowUps.@Nullable Pending pending) {
        static final Stored NOT_DONE = new Stored(false, null);
    }

    private final DynamoDbAsyncClient dynamoDb;
    private final EventParser parser = new EventParser(EventMapping.defaults(), 262_144);
    private final String table;
    private final FloorFollowUps followUps;

    private FloorConsumerMain(DynamoDbAsyncClient dynamoDb, String table, FloorFollowUps followUps) {
        this.dynamoDb = dynamoDb;
        this.table = table;
        this.followUps = followUps;
    }

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
        FloorFollowUps followUps = args.length > 7
                ? FloorFollowUps.onBus(URI.create(args[6]), args[7], credentials, dynamoDb, tableName)
                : FloorFollowUps.none(dynamoDb, tableName);
        FloorConsumerMain floor = new FloorConsumerMain(dynamoDb, tableName, followUps);
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
            List<CompletableFuture<Stored>> puts = new ArrayList<>(messages.size());
            for (Message message : messages) {
                puts.add(store(message.body()));
            }
            List<Stored> stored = puts.stream().map(CompletableFuture::join).toList();
            followUps
                    .publish(stored.stream()
                            .map(Stored::pending)
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

    private CompletableFuture<Stored> store(String body) {
        if (!(parser.parse(body, Instant.now()) instanceof ParseResult.Parsed parsed)) {
            return CompletableFuture.completedFuture(Stored.NOT_DONE);
        }
        StoredEvent event = parsed.event();
        Optional<FollowUpMark> mark = followUps.markFor(parsed);
        return dynamoDb.putItem(request -> request.tableName(table)
                        .item(EventTable.item(event, mark))
                        .conditionExpression(NOT_YET_STORED)
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD))
                .handle((written, error) -> {
                    if (error == null) {
                        return CompletableFuture.completedFuture(stored(event, mark));
                    }
                    if (AwsErrors.unwrap(error) instanceof ConditionalCheckFailedException refused) {
                        return storedBefore(event, refused);
                    }
                    return CompletableFuture.completedFuture(Stored.NOT_DONE);
                })
                .thenCompose(Function.identity());
    }

    /** The event stored already: its follow-up, if still PENDING, from the refusal or else read as the service does. */
    private CompletableFuture<Stored> storedBefore(StoredEvent event, ConditionalCheckFailedException refused) {
        if (refused.hasItem() && refused.item().containsKey(EventTable.PAYLOAD_HASH)) {
            return CompletableFuture.completedFuture(stored(event, EventTable.followUp(refused.item())));
        }
        return dynamoDb.getItem(request -> request.tableName(table)
                        .key(Map.of(EventTable.UNIQUE_ID, AttributeValue.fromS(event.uniqueId())))
                        .projectionExpression(STORED_STATE)
                        .consistentRead(true))
                .handle((read, error) -> error == null && read.hasItem()
                        ? stored(event, EventTable.followUp(read.item()))
                        : Stored.NOT_DONE);
    }

    private static Stored stored(StoredEvent event, Optional<FollowUpMark> followUp) {
        return new Stored(
                true,
                followUp.filter(FollowUpMark::isPending)
                        .map(mark -> new FloorFollowUps.Pending(event, mark))
                        .orElse(null));
    }
}
