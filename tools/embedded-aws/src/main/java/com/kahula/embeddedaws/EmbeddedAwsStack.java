package com.kahula.embeddedaws;

import java.net.URI;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * SQS (ElasticMQ), DynamoDB (dynalite), S3 (s3rver) and EventBridge (an in-process emulator) behind one HTTP endpoint, like
 * LocalStack's port 4566, for the integration tests, the runnable test application and the AWS CLI.
 */
public final class EmbeddedAwsStack implements AutoCloseable {

    public static final String REGION = "us-east-1";
    public static final String ACCOUNT_ID = "000000000000";
    public static final String ACCESS_KEY = "test";
    public static final String SECRET_KEY = "test";

    private static EmbeddedAwsStack shared;

    private final AwsGateway gateway;
    private final DynaliteProcess dynamoDb;
    private final ElasticMqServer sqs;
    private final EventBridgeEmulator eventBridge;
    // closed in reverse order of starting
    private final Deque<AutoCloseable> resources;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread shutdownHook = Thread.ofPlatform().unstarted(this::close);

    private EmbeddedAwsStack(
            AwsGateway gateway,
            DynaliteProcess dynamoDb,
            ElasticMqServer sqs,
            EventBridgeEmulator eventBridge,
            Deque<AutoCloseable> resources) {
        this.gateway = gateway;
        this.dynamoDb = dynamoDb;
        this.sqs = sqs;
        this.eventBridge = eventBridge;
        this.resources = resources;
    }

    /** Starts the stack with its endpoint on {@code port} of loopback; 0 picks a free port. */
    public static EmbeddedAwsStack start(int port) {
        var resources = new ArrayDeque<AutoCloseable>();
        try {
            var gateway = AwsGateway.bind(port);
            resources.push(gateway);
            var dynamoDb = DynaliteProcess.start();
            resources.push(dynamoDb);
            var s3 = S3rverProcess.start();
            resources.push(s3);
            var sqs = ElasticMqServer.start(gateway.port());
            resources.push(sqs);
            var sqsClient = SqsClient.builder()
                    .endpointOverride(sqs.endpoint())
                    .region(Region.of(REGION))
                    .credentialsProvider(credentials())
                    .build();
            resources.push(sqsClient);
            var eventBridge = new EventBridgeEmulator(sqsClient, sqs.endpoint());
            gateway.start(new AwsGateway.Backends(sqs.endpoint(), dynamoDb.endpoint(), s3.endpoint(), eventBridge));
            var stack = new EmbeddedAwsStack(gateway, dynamoDb, sqs, eventBridge, resources);
            Runtime.getRuntime().addShutdownHook(stack.shutdownHook);
            return stack;
        } catch (RuntimeException e) {
            closeAll(resources, e);
            throw e;
        }
    }

    /** One stack per JVM on a free port, started on first use and stopped when the JVM exits. */
    public static synchronized EmbeddedAwsStack shared() {
        if (shared == null || shared.closed.get()) {
            shared = start(0);
        }
        return shared;
    }

    /** The credentials the emulators accept (they do not verify signatures). */
    public static StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY));
    }

    /**
     * Points an SDK client builder at the stack: its endpoint, region and placeholder credentials. An S3 client needs
     * path-style addressing besides ({@code forcePathStyle(true)}): the stack has no DNS for bucket host names.
     */
    public <B extends AwsClientBuilder<B, ?>> B configure(B builder) {
        return builder.endpointOverride(endpoint()).region(Region.of(REGION)).credentialsProvider(credentials());
    }

    public URI endpoint() {
        return URI.create("http://localhost:" + port());
    }

    public int port() {
        return gateway.port();
    }

    /** ElasticMQ's own endpoint, bypassing the gateway: for the benchmark, where the extra hop would be measured too. */
    public URI sqsEndpoint() {
        return sqs.endpoint();
    }

    /** dynalite's own endpoint, bypassing the gateway: for the benchmark, where the extra hop would be measured too. */
    public URI dynamoDbEndpoint() {
        return dynamoDb.endpoint();
    }

    /** Freezes dynalite with SIGSTOP: connections stay open and calls hang, as when DynamoDB stops answering. */
    public void pauseDynamoDb() {
        dynamoDb.pause();
    }

    /** Lets a paused dynalite continue with SIGCONT; it then answers the calls that waited. */
    public void resumeDynamoDb() {
        dynamoDb.resume();
    }

    /**
     * Makes the next {@code receives} ReceiveMessage answers of two or more messages carry their first message twice
     * (same message id, same receipt handle), as SQS's at-least-once delivery may within one batch.
     */
    public void duplicateFirstMessageOfNextReceives(int receives) {
        gateway.faults().duplicateFirstMessageOfNextReceives(receives);
    }

    /**
     * Answers every DynamoDB PutItem through the gateway with the 400 error {@code errorType} (AccessDeniedException:
     * a revoked permission), until called with null; DescribeTable and the rest still pass.
     */
    public void refusePutItem(String errorType) {
        gateway.faults().refusePutItem(errorType);
    }

    /** SQS requests through the gateway: held, they wait before reaching ElasticMQ. */
    public Gate sqsGate() {
        return gateway.faults().sqsGate();
    }

    /** DynamoDB UpdateItem requests through the gateway: held, they wait before reaching dynalite. */
    public Gate updateItemGate() {
        return gateway.faults().updateItemGate();
    }

    /** PutEvents answers: held, the entries are on the bus and delivered, but their caller waits for the answer. */
    public Gate putEventsAnswerGate() {
        return gateway.faults().putEventsAnswerGate();
    }

    /** Closes every SQS request's connection without an answer, before it reaches ElasticMQ, until called with false. */
    public void dropSqsConnections(boolean dropping) {
        gateway.faults().dropSqsConnections(dropping);
    }

    /** SQS requests whose connection {@link #dropSqsConnections(boolean)} closed. */
    public long droppedSqsRequests() {
        return gateway.faults().droppedSqsRequests();
    }

    /** DynamoDB PutItem requests the gateway has received and not yet answered. */
    public int putItemsInFlight() {
        return gateway.traffic().putItemsInFlight();
    }

    /** DynamoDB PutItem calls the gateway answered with ConditionalCheckFailedException: an item already there. */
    public long conditionFailedPutItems() {
        return gateway.traffic().conditionFailedPutItems();
    }

    /** PutEvents entries accepted whose answer {@link #putEventsAnswerGate()} held, by detail-type. */
    public Map<String, Long> heldAcceptedEntries() {
        return gateway.traffic().heldAcceptedEntries();
    }

    /** PutEvents entries accepted whose answer left the gateway a second or more after the request came, by type. */
    public Map<String, Long> slowAcceptedEntries() {
        return gateway.traffic().slowAcceptedEntries();
    }

    /**
     * Counts, from now on, each message that ReceiveMessage through the gateway answers on the queue {@code queueName},
     * by message id: how often each was delivered.
     */
    public void recordDeliveries(String queueName) {
        gateway.traffic().recordDeliveries(queueName);
    }

    /** Deliveries by message id since {@link #recordDeliveries(String)}. */
    public Map<String, Integer> deliveries() {
        return gateway.traffic().deliveries();
    }

    /**
     * The detail ids of the PutEvents entries whose acceptance was answered to their caller (not held) since the last
     * call: what a caller killed now had heard was on the bus.
     */
    public Set<String> takeAnsweredDetailIds() {
        return gateway.traffic().takeAnsweredDetailIds();
    }

    /** All deliveries since {@link #recordDeliveries(String)}: the sum of {@link #deliveries()}. */
    public long delivered() {
        return gateway.traffic().delivered();
    }

    public EventBridgeEmulator eventBridge() {
        return eventBridge;
    }

    /** The dynalite process, so tests can prove that none outlives the stack. */
    ProcessHandle dynamoDbProcess() {
        return dynamoDb.handle();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: this close runs from the hook itself
        }
        closeAll(resources, null);
    }

    private static void closeAll(Deque<AutoCloseable> resources, RuntimeException cause) {
        while (!resources.isEmpty()) {
            try {
                resources.pop().close();
            } catch (Exception e) {
                if (cause != null) {
                    cause.addSuppressed(e);
                }
            }
        }
    }
}
