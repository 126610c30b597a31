package com.kahula.bench;

import static com.kahula.bench.Bench.log;
import static com.kahula.bench.Bench.sleep;

import com.kahula.bench.cost.TableShape;
import com.kahula.eventpersister.provisioning.AwsProvisioner;
import com.kahula.eventpersister.provisioning.AwsResources;
import com.kahula.eventpersister.store.EventTable;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.Select;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/** Each env's queue and table on the stack: provisioned, loaded, measured, read back and disposed of. */
final class StackResources implements AutoCloseable {

    private static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));

    private final SqsAsyncClient sqs;
    private final DynamoDbClient dynamoDb;
    private final DynamoDbAsyncClient dynamoDbAsync;
    private final EventBridgeClient eventBridge;
    private final AwsProvisioner provisioner;

    StackResources(URI gateway, URI sqsEndpoint, URI dynamoDbEndpoint) {
        this.sqs = client(SqsAsyncClient.builder(), sqsEndpoint);
        this.dynamoDb = client(DynamoDbClient.builder(), dynamoDbEndpoint);
        this.dynamoDbAsync = client(DynamoDbAsyncClient.builder(), dynamoDbEndpoint);
        this.eventBridge = client(EventBridgeClient.builder(), gateway);
        this.provisioner = new AwsProvisioner(sqs, dynamoDbAsync, eventBridge);
    }

    private static <B extends AwsClientBuilder<B, C>, C> C client(B builder, URI endpoint) {
        return builder.endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(CREDENTIALS)
                .build();
    }

    static String queueName(String env) {
        return "kahula-event-persister-" + env;
    }

    static String tableName(String env) {
        return "kahula-events-" + env;
    }

    static String busName(String env) {
        return "kahula-events-" + env;
    }

    /** The queue, its dead-letter queue, the table, the bus and its rule, by the service's own provisioning. */
    String provision(String env) {
        return provisioner.provision(new AwsResources(
                queueName(env),
                queueName(env) + "-dlq",
                Duration.ofSeconds(60),
                5,
                tableName(env),
                busName(env),
                "{\"source\":[{\"prefix\":\"\"}]}"));
    }

    void dispose(String env) {
        try {
            dynamoDb.deleteTable(request -> request.tableName(tableName(env)));
            for (String name : List.of(queueName(env), queueName(env) + "-dlq")) {
                String url = sqs.getQueueUrl(request -> request.queueName(name))
                        .join()
                        .queueUrl();
                sqs.deleteQueue(request -> request.queueUrl(url)).join();
            }
        } catch (RuntimeException e) {
            log("could not clean up " + env + ": " + e);
        }
    }

    void preload(String queueUrl, List<String> bodies) {
        Semaphore inFlight = new Semaphore(16);
        List<CompletableFuture<?>> sends = new ArrayList<>();
        for (int from = 0; from < bodies.size(); from += 10) {
            List<SendMessageBatchRequestEntry> entries = new ArrayList<>(10);
            for (int i = from; i < Math.min(from + 10, bodies.size()); i++) {
                entries.add(SendMessageBatchRequestEntry.builder()
                        .id(Integer.toString(i - from))
                        .messageBody(bodies.get(i))
                        .build());
            }
            inFlight.acquireUninterruptibly();
            sends.add(sqs.sendMessageBatch(request -> request.queueUrl(queueUrl).entries(entries))
                    .whenComplete((response, error) -> inFlight.release())
                    .thenAccept(response -> {
                        if (!response.failed().isEmpty()) {
                            throw new IllegalStateException("preload refused: " + response.failed());
                        }
                    }));
        }
        CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).join();
        QueueDepth depth = depth(queueUrl);
        // ElasticMQ may count a message sent in the same millisecond as delayed, for that millisecond; a receive a
        // held (SIGSTOP) consumer left waiting takes messages in flight as they arrive
        for (int check = 0; check < 50 && depth.visible() + depth.inFlight() != bodies.size(); check++) {
            sleep(Duration.ofMillis(100));
            depth = depth(queueUrl);
        }
        if (depth.visible() + depth.inFlight() != bodies.size()) {
            throw new IllegalStateException("preloaded " + bodies.size() + " messages, the queue holds " + depth);
        }
    }

    CompletableFuture<?> send(String queueUrl, String body) {
        return sqs.sendMessage(request -> request.queueUrl(queueUrl).messageBody(body));
    }

    QueueDepth depth(String queueUrl) {
        Map<QueueAttributeName, String> attributes = sqs.getQueueAttributes(request -> request.queueUrl(queueUrl)
                        .attributeNames(
                                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED))
                .join()
                .attributes();
        return new QueueDepth(
                Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)),
                Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)),
                Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)));
    }

    /** The table as DynamoDB describes it: its keys and indexes, which decide what each write costs. */
    TableShape shape(String table) {
        return TableShape.of(
                dynamoDb.describeTable(request -> request.tableName(table)).table());
    }

    long countRows(String table) {
        long rows = 0;
        Map<String, AttributeValue> startKey = null;
        do {
            var page = dynamoDb.scan(ScanRequest.builder()
                    .tableName(table)
                    .select(Select.COUNT)
                    .exclusiveStartKey(startKey)
                    .build());
            rows += page.count();
            startKey = nextKey(page.hasLastEvaluatedKey(), page.lastEvaluatedKey());
        } while (startKey != null);
        return rows;
    }

    /** The stored events of one saga in the env's table: the saga index's keys, then their items. */
    List<Map<String, AttributeValue>> sagaEvents(String env, String saga) {
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        Map<String, AttributeValue> startKey = null;
        do {
            var page = dynamoDb.query(QueryRequest.builder()
                    .tableName(tableName(env))
                    .indexName(EventTable.SAGA_INDEX)
                    .keyConditionExpression("saga_id = :saga")
                    .expressionAttributeValues(Map.of(":saga", AttributeValue.fromS(saga)))
                    .exclusiveStartKey(startKey)
                    .build());
            page.items().forEach(key -> keys.add(Map.of(EventTable.UNIQUE_ID, key.get(EventTable.UNIQUE_ID))));
            startKey = nextKey(page.hasLastEvaluatedKey(), page.lastEvaluatedKey());
        } while (startKey != null);
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        for (int from = 0; from < keys.size(); from += 100) {
            List<Map<String, AttributeValue>> left = keys.subList(from, Math.min(from + 100, keys.size()));
            while (!left.isEmpty()) {
                List<Map<String, AttributeValue>> asked = left;
                var read = dynamoDb.batchGetItem(request -> request.requestItems(Map.of(
                        tableName(env), KeysAndAttributes.builder().keys(asked).build())));
                items.addAll(read.responses().getOrDefault(tableName(env), List.of()));
                KeysAndAttributes unprocessed = read.unprocessedKeys().get(tableName(env));
                left = unprocessed == null ? List.of() : unprocessed.keys();
            }
        }
        return items;
    }

    private static Map<String, AttributeValue> nextKey(boolean hasLastKey, Map<String, AttributeValue> lastKey) {
        return hasLastKey && !lastKey.isEmpty() ? lastKey : null;
    }

    int deadLetters(String env) {
        String url = sqs.getQueueUrl(request -> request.queueName(queueName(env) + "-dlq"))
                .join()
                .queueUrl();
        QueueDepth depth = depth(url);
        return depth.visible() + depth.inFlight();
    }

    @Override
    public void close() {
        sqs.close();
        dynamoDb.close();
        dynamoDbAsync.close();
        eventBridge.close();
    }
}
