package com.kahula.embeddedaws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.EventBridgeException;
import software.amazon.awssdk.services.eventbridge.model.InternalException;
import software.amazon.awssdk.services.eventbridge.model.InvalidEventPatternException;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.ResourceAlreadyExistsException;
import software.amazon.awssdk.services.eventbridge.model.ResourceNotFoundException;
import software.amazon.awssdk.services.eventbridge.model.RuleState;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** The embedded stack through real AWS SDK clients and the AWS CLI, all on the single gateway endpoint. */
class EmbeddedAwsStackIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path AWS_CLI = Path.of("/usr/bin/aws");

    private static EmbeddedAwsStack stack;
    private static SqsClient sqs;
    private static DynamoDbClient dynamoDb;
    private static EventBridgeClient events;

    @BeforeAll
    static void startStack() {
        stack = EmbeddedAwsStack.start(0);
        sqs = stack.configure(SqsClient.builder()).build();
        dynamoDb = stack.configure(DynamoDbClient.builder()).build();
        events = eventBridgeClient(RetryMode.STANDARD);
    }

    @AfterAll
    static void stopStack() {
        events.close();
        dynamoDb.close();
        sqs.close();
        stack.close();
    }

    @AfterEach
    void clearFaults() {
        stack.eventBridge().clearFaults();
        stack.resumeDynamoDb();
        stack.dropSqsConnections(false);
        stack.sqsGate().open();
        stack.updateItemGate().open();
        stack.putEventsAnswerGate().open();
    }

    @Test
    void countsEachMessageThatReceiveMessageDeliversOnTheRecordedQueue() {
        var queueName = unique("counted");
        var queueUrl = sqs.createQueue(q -> q.queueName(queueName)).queueUrl();
        var otherUrl = sqs.createQueue(q -> q.queueName(unique("other"))).queueUrl();
        stack.recordDeliveries(queueName);
        var first =
                sqs.sendMessage(m -> m.queueUrl(queueUrl).messageBody("one")).messageId();
        var second =
                sqs.sendMessage(m -> m.queueUrl(queueUrl).messageBody("two")).messageId();
        sqs.sendMessage(m -> m.queueUrl(otherUrl).messageBody("elsewhere"));

        assertThat(receiveAll(otherUrl)).hasSize(1);
        sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10).visibilityTimeout(0));
        sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10).visibilityTimeout(0));

        assertThat(stack.deliveries()).containsOnly(Map.entry(first, 2), Map.entry(second, 2));
        assertThat(stack.delivered()).isEqualTo(4);
    }

    @Test
    void droppedSqsConnectionsFailTheCallWithoutReachingTheQueueAndAreCounted() {
        var queueUrl = sqs.createQueue(q -> q.queueName(unique("dropped"))).queueUrl();
        var dropped = stack.droppedSqsRequests();
        stack.dropSqsConnections(true);
        try (var noRetries = stack.configure(SqsClient.builder())
                .overrideConfiguration(o -> o.retryStrategy(b -> b.maxAttempts(1)))
                .build()) {
            assertThatThrownBy(() ->
                            noRetries.sendMessage(m -> m.queueUrl(queueUrl).messageBody("lost")))
                    .isInstanceOf(SdkClientException.class);

            stack.dropSqsConnections(false);

            assertThat(stack.droppedSqsRequests() - dropped).isEqualTo(1);
            assertThat(receiveAll(queueUrl)).isEmpty();
        }
    }

    @Test
    void aHeldGateLetsItsRequestsWaitAndDropsThemWhenOpenedDropping() throws Exception {
        var queueUrl = sqs.createQueue(q -> q.queueName(unique("held"))).queueUrl();
        stack.sqsGate().hold();
        try (var noRetries = stack.configure(SqsClient.builder())
                .overrideConfiguration(o -> o.retryStrategy(b -> b.maxAttempts(1)))
                .build()) {
            var waited = java.util.concurrent.CompletableFuture.runAsync(
                    () -> noRetries.sendMessage(m -> m.queueUrl(queueUrl).messageBody("held back")));
            await().atMost(Duration.ofSeconds(10)).until(() -> stack.sqsGate().waiting() == 1);
            assertThat(waited).isNotDone();

            stack.sqsGate().openDroppingHeld();

            assertThatThrownBy(() -> waited.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(SdkClientException.class);
            assertThat(stack.sqsGate().waiting()).isZero();
            noRetries.sendMessage(m -> m.queueUrl(queueUrl).messageBody("passes"));
            assertThat(receiveAll(queueUrl)).extracting(Message::body).containsExactly("passes");
        }
    }

    @Test
    void heldPutEventsAnswersCountTheEntriesAlreadyOnTheBus() throws Exception {
        var bus = unique("bus");
        var queueUrl = busWithRuleToNewQueue(bus);
        var held = stack.heldAcceptedEntries().getOrDefault("AUpdatedEvent", 0L);
        stack.eventBridge().throttleEntries(0.5);
        stack.putEventsAnswerGate().hold();
        try (var noRetries = eventBridgeClient(null);
                var direct = SqsClient.builder()
                        .endpointOverride(stack.sqsEndpoint())
                        .region(Region.of(EmbeddedAwsStack.REGION))
                        .credentialsProvider(EmbeddedAwsStack.credentials())
                        .build()) {
            var call = java.util.concurrent.CompletableFuture.runAsync(() -> noRetries.putEvents(p ->
                    p.entries(entry(bus, "AUpdatedEvent", "{\"i\":1}"), entry(bus, "AUpdatedEvent", "{\"i\":2}"))));
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> stack.putEventsAnswerGate().waiting() == 1);

            assertThat(stack.heldAcceptedEntries().get("AUpdatedEvent") - held).isEqualTo(1);
            var onTheQueue = queueUrl.replace(
                    stack.endpoint().toString(), stack.sqsEndpoint().toString());
            assertThat(direct.receiveMessage(r -> r.queueUrl(onTheQueue).maxNumberOfMessages(10))
                            .messages())
                    .singleElement()
                    .satisfies(message -> assertThat(message.body()).contains("\"i\":1"));

            stack.putEventsAnswerGate().openDroppingHeld();
            assertThatThrownBy(() -> call.get(40, TimeUnit.SECONDS)).hasCauseInstanceOf(SdkClientException.class);
        }
    }

    @Test
    void countsThePutItemCallsWaitingOnAFrozenDynamoDbAndHoldsUpdateItemUntilOpened() {
        var table = unique("table");
        dynamoDb.createTable(t -> t.tableName(table)
                .keySchema(k -> k.attributeName("id").keyType(KeyType.HASH))
                .attributeDefinitions(a -> a.attributeName("id").attributeType(ScalarAttributeType.S))
                .billingMode("PAY_PER_REQUEST"));
        dynamoDb.putItem(p -> p.tableName(table).item(Map.of("id", AttributeValue.fromS("a"))));
        try (var impatient = impatientDynamoDb()) {
            stack.pauseDynamoDb();
            assertThatThrownBy(() ->
                            impatient.putItem(p -> p.tableName(table).item(Map.of("id", AttributeValue.fromS("b")))))
                    .isInstanceOf(ApiCallAttemptTimeoutException.class);
            assertThat(stack.putItemsInFlight()).isEqualTo(1);
            stack.resumeDynamoDb();
            await().atMost(Duration.ofSeconds(20)).until(() -> stack.putItemsInFlight() == 0);

            stack.updateItemGate().hold();
            assertThatThrownBy(() -> impatient.updateItem(u -> u.tableName(table)
                            .key(Map.of("id", AttributeValue.fromS("a")))
                            .updateExpression("SET v = :v")
                            .expressionAttributeValues(Map.of(":v", AttributeValue.fromS("1")))))
                    .isInstanceOf(ApiCallAttemptTimeoutException.class);
            assertThat(stack.updateItemGate().waiting()).isEqualTo(1);
            assertThat(dynamoDb.getItem(g -> g.tableName(table).key(Map.of("id", AttributeValue.fromS("a"))))
                            .item())
                    .doesNotContainKey("v");

            stack.updateItemGate().open();

            await().atMost(Duration.ofSeconds(20))
                    .untilAsserted(() -> assertThat(dynamoDb.getItem(
                                            g -> g.tableName(table).key(Map.of("id", AttributeValue.fromS("a"))))
                                    .item())
                            .containsEntry("v", AttributeValue.fromS("1")));
            assertThat(dynamoDb.getItem(g -> g.tableName(table).key(Map.of("id", AttributeValue.fromS("b"))))
                            .item())
                    .as("the write that waited at the frozen store landed when it thawed")
                    .containsKey("id");
        }
    }

    @Test
    void movesMessageToDeadLetterQueueAfterMaxReceives() {
        var dlqUrl = sqs.createQueue(q -> q.queueName(unique("dlq"))).queueUrl();
        var dlqArn = queueArn(dlqUrl);
        var queueName = unique("queue");
        var queueUrl = sqs.createQueue(q -> q.queueName(queueName)
                        .attributes(Map.of(
                                QueueAttributeName.REDRIVE_POLICY,
                                "{\"maxReceiveCount\":\"2\",\"deadLetterTargetArn\":\"%s\"}".formatted(dlqArn))))
                .queueUrl();
        assertThat(queueUrl).isEqualTo(stack.endpoint() + "/" + EmbeddedAwsStack.ACCOUNT_ID + "/" + queueName);
        assertThat(queueArn(queueUrl)).isEqualTo("arn:aws:sqs:us-east-1:000000000000:" + queueName);

        sqs.sendMessage(m -> m.queueUrl(queueUrl).messageBody("poison"));
        for (var receive = 1; receive <= 2; receive++) {
            var received = sqs.receiveMessage(r -> r.queueUrl(queueUrl)
                            .visibilityTimeout(0)
                            .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT))
                    .messages();
            assertThat(received)
                    .singleElement()
                    .satisfies(m -> assertThat(m.body()).isEqualTo("poison"));
        }

        assertThat(sqs.receiveMessage(r -> r.queueUrl(queueUrl)).messages()).isEmpty();
        assertThat(sqs.receiveMessage(r -> r.queueUrl(dlqUrl).waitTimeSeconds(1))
                        .messages())
                .singleElement()
                .satisfies(m -> assertThat(m.body()).isEqualTo("poison"));
    }

    @Test
    void storesListsAndServesGzipObjectsUnderPartitionedKeysAsS3Does() throws IOException {
        try (S3Client s3 =
                stack.configure(S3Client.builder()).forcePathStyle(true).build()) {
            s3.createBucket(request -> request.bucket("archive"));
            byte[] lines = "{\"id\":\"1\"}\n{\"id\":\"2\"}\n".getBytes(StandardCharsets.UTF_8);
            var gzipped = new java.io.ByteArrayOutputStream();
            try (var gzip = new GZIPOutputStream(gzipped)) {
                gzip.write(lines);
            }
            for (String hour : List.of("09", "10")) {
                s3.putObject(
                        request -> request.bucket("archive")
                                .key("events/year=2026/month=11/day=27/hour=" + hour + "/a.gz"),
                        RequestBody.fromBytes(gzipped.toByteArray()));
            }

            var listed = s3.listObjectsV2(
                    request -> request.bucket("archive").prefix("events/year=2026/month=11/day=27/hour=10/"));
            byte[] read = s3.getObjectAsBytes(
                            request -> request.bucket("archive").key("events/year=2026/month=11/day=27/hour=10/a.gz"))
                    .asByteArray();

            assertThat(listed.contents())
                    .extracting(S3Object::key)
                    .containsExactly("events/year=2026/month=11/day=27/hour=10/a.gz");
            assertThat(new GZIPInputStream(new java.io.ByteArrayInputStream(read)).readAllBytes())
                    .isEqualTo(lines);
            assertThatThrownBy(() -> s3.getObject(
                                    request -> request.bucket("archive").key("missing"))
                            .close())
                    .isInstanceOf(NoSuchKeyException.class);
        }
    }

    @Test
    void rejectsSecondConditionalPut() {
        var table = unique("table");
        dynamoDb.createTable(t -> t.tableName(table)
                .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH))
                .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S))
                .billingMode("PAY_PER_REQUEST"));
        assertThat(dynamoDb.describeTable(d -> d.tableName(table)).table().tableStatus())
                .isEqualTo(TableStatus.ACTIVE);
        var item = Map.of("pk", AttributeValue.fromS("event-1"));
        var conditionFailures = stack.conditionFailedPutItems();

        dynamoDb.putItem(p -> p.tableName(table).item(item).conditionExpression("attribute_not_exists(pk)"));

        assertThatThrownBy(() -> dynamoDb.putItem(
                        p -> p.tableName(table).item(item).conditionExpression("attribute_not_exists(pk)")))
                .isInstanceOf(ConditionalCheckFailedException.class);
        assertThat(dynamoDb.listTables().tableNames()).contains(table);
        assertThat(stack.conditionFailedPutItems() - conditionFailures).isEqualTo(1);
    }

    @Test
    void deliversOnlyMatchingEventsToRuleTargetsAsEnvelopes() throws IOException {
        var bus = unique("bus");
        var queueUrl = busWithRuleToNewQueue(bus);
        stack.eventBridge().clearAcceptedEvents();
        var before = Instant.now().minusSeconds(1);

        var response = events.putEvents(p -> p.entries(
                entry(bus, "OrderUpdatedEvent", "{\"orderId\":\"o-1\",\"n\":1}").toBuilder()
                        .resources("arn:aws:orders:o-1")
                        .build(),
                entry(bus, "OrderCreatedEvent", "{\"orderId\":\"o-2\"}")));

        assertThat(response.failedEntryCount()).isZero();
        var eventId = response.entries().getFirst().eventId();
        var messages = receiveAll(queueUrl);
        assertThat(messages).hasSize(1);
        var envelope = JSON.readTree(messages.getFirst().body());
        assertThat(fieldNames(envelope))
                .containsExactly(
                        "version", "id", "detail-type", "source", "account", "time", "region", "resources", "detail");
        assertThat(envelope.get("version").asText()).isEqualTo("0");
        assertThat(envelope.get("id").asText()).isEqualTo(eventId);
        assertThat(envelope.get("detail-type").asText()).isEqualTo("OrderUpdatedEvent");
        assertThat(envelope.get("source").asText()).isEqualTo("com.kahula.test");
        assertThat(envelope.get("account").asText()).isEqualTo("000000000000");
        assertThat(envelope.get("time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        assertThat(Instant.parse(envelope.get("time").asText())).isBetween(before, Instant.now());
        assertThat(envelope.get("region").asText()).isEqualTo("us-east-1");
        assertThat(envelope.get("resources")).isEqualTo(JSON.readTree("[\"arn:aws:orders:o-1\"]"));
        assertThat(envelope.get("detail")).isEqualTo(JSON.readTree("{\"orderId\":\"o-1\",\"n\":1}"));
        assertThat(stack.eventBridge().acceptedEvents())
                .extracting(BusEvent::busName, BusEvent::detailType)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(bus, "OrderUpdatedEvent"),
                        org.assertj.core.groups.Tuple.tuple(bus, "OrderCreatedEvent"));
        assertThat(stack.eventBridge().acceptedEvents().getFirst().envelope())
                .isEqualTo(messages.getFirst().body());
    }

    @Test
    void reportsInvalidEntriesAndUnknownResourcesAsAwsDoes() {
        var bus = unique("bus");
        events.createEventBus(b -> b.name(bus));

        var response = events.putEvents(p -> p.entries(
                entry(bus, "SomethingHappened", "[1,2]"),
                entry("no-such-bus", "SomethingHappened", "{}"),
                entry(bus, "SomethingHappened", "{}")));

        assertThat(response.failedEntryCount()).isEqualTo(2);
        assertThat(response.entries())
                .extracting(e -> e.errorCode())
                .containsExactly("MalformedDetail", "ResourceNotFoundException", null);
        assertThatThrownBy(() -> events.createEventBus(b -> b.name(bus)))
                .isInstanceOf(ResourceAlreadyExistsException.class);
        assertThatThrownBy(() -> events.describeRule(r -> r.eventBusName(bus).name("missing")))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() ->
                        events.putRule(r -> r.eventBusName(bus).name("bad").eventPattern("{\"source\":1}")))
                .isInstanceOf(InvalidEventPatternException.class);
        assertThat(events.describeEventBus(b -> b.name("default")).arn())
                .isEqualTo("arn:aws:events:us-east-1:000000000000:event-bus/default");
        events.deleteEventBus(b -> b.name(bus));
        assertThat(events.listEventBuses(l -> l.namePrefix(bus)).eventBuses()).isEmpty();
    }

    @Test
    void throttledEntriesFailInsideOkResponseAndAreNotDelivered() {
        var bus = unique("bus");
        var queueUrl = busWithRuleToNewQueue(bus);
        stack.eventBridge().throttleEntries(0.5);

        var response = events.putEvents(p -> p.entries(
                entry(bus, "AUpdatedEvent", "{\"i\":1}"),
                entry(bus, "AUpdatedEvent", "{\"i\":2}"),
                entry(bus, "AUpdatedEvent", "{\"i\":3}"),
                entry(bus, "AUpdatedEvent", "{\"i\":4}")));

        assertThat(response.failedEntryCount()).isEqualTo(2);
        assertThat(response.entries())
                .extracting(e -> e.errorCode())
                .containsExactly(null, "ThrottlingException", null, "ThrottlingException");
        assertThat(receiveAll(queueUrl))
                .extracting(Message::body)
                .hasSize(2)
                .allSatisfy(body -> assertThat(body).containsAnyOf("\"i\":1", "\"i\":3"));
    }

    @Test
    void failedRequestsSurfaceAsSdkExceptionsAfterRetries() {
        stack.eventBridge().failRequests(500);
        var calls = stack.eventBridge().putEventsCalls();
        var failed = stack.eventBridge().failedRequests();

        assertThatThrownBy(() -> events.putEvents(p -> p.entries(entry("default", "X", "{}"))))
                .isInstanceOf(InternalException.class)
                .satisfies(
                        e -> assertThat(((EventBridgeException) e).statusCode()).isEqualTo(500));
        // the standard retry mode makes 3 attempts
        assertThat(stack.eventBridge().putEventsCalls() - calls).isEqualTo(3);
        assertThat(stack.eventBridge().failedRequests() - failed).isEqualTo(3);

        stack.eventBridge().failRequests(400);
        try (var noRetries = eventBridgeClient(null)) {
            assertThatThrownBy(() -> noRetries.putEvents(p -> p.entries(entry("default", "X", "{}"))))
                    .isInstanceOf(EventBridgeException.class)
                    .satisfies(e -> assertThat(
                                    ((EventBridgeException) e).awsErrorDetails().errorCode())
                            .isEqualTo("AccessDeniedException"));
        }
    }

    @Test
    void downDropsConnectionsWithoutResponse() {
        var dropped = stack.eventBridge().droppedRequests();
        stack.eventBridge().down(true);
        try (var noRetries = eventBridgeClient(null)) {
            assertThatThrownBy(() -> noRetries.putEvents(p -> p.entries(entry("default", "X", "{}"))))
                    .isInstanceOf(SdkClientException.class);

            stack.eventBridge().down(false);

            assertThat(stack.eventBridge().droppedRequests() - dropped).isEqualTo(1);
            assertThat(noRetries
                            .putEvents(p -> p.entries(entry("default", "X", "{}")))
                            .failedEntryCount())
                    .isZero();
        }
    }

    @Test
    void pausedDynamoDbTimesOutUntilResumed() {
        try (var impatient = impatientDynamoDb()) {
            stack.pauseDynamoDb();

            assertThatThrownBy(impatient::listTables).isInstanceOf(ApiCallAttemptTimeoutException.class);

            stack.resumeDynamoDb();

            assertThat(impatient.listTables().sdkHttpResponse().isSuccessful()).isTrue();
        }
    }

    @Test
    void pausedDynamoDbMakesTheGatewayAnswer504InBoundedTime() {
        try (var patient = DynamoDbClient.builder()
                .endpointOverride(stack.endpoint())
                .region(Region.of(EmbeddedAwsStack.REGION))
                .credentialsProvider(EmbeddedAwsStack.credentials())
                .overrideConfiguration(
                        o -> o.apiCallAttemptTimeout(Duration.ofSeconds(25)).retryStrategy(b -> b.maxAttempts(1)))
                .build()) {
            stack.pauseDynamoDb();
            var start = Instant.now();

            assertThatThrownBy(patient::listTables)
                    .isInstanceOfSatisfying(
                            DynamoDbException.class,
                            e -> assertThat(e.statusCode()).isEqualTo(504));
            assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(15));
        }
    }

    @Test
    void answersWhileEveryVirtualThreadCarrierIsBusy() throws InterruptedException {
        // Stands in for anything in the test JVM that occupies the carriers: the gateway must not depend on them.
        var carriers = Runtime.getRuntime().availableProcessors();
        var busy = new CountDownLatch(carriers);
        var release = new AtomicBoolean();
        var hogs = new ArrayList<Thread>();
        for (var i = 0; i < carriers; i++) {
            hogs.add(Thread.ofVirtual().start(() -> {
                busy.countDown();
                while (!release.get()) {
                    Thread.onSpinWait();
                }
            }));
        }
        try {
            assertThat(busy.await(10, TimeUnit.SECONDS)).isTrue();
            assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
                assertThat(sqs.listQueues().sdkHttpResponse().isSuccessful()).isTrue();
                assertThat(dynamoDb.listTables().sdkHttpResponse().isSuccessful())
                        .isTrue();
                assertThat(events.listEventBuses(b -> {}).sdkHttpResponse().isSuccessful())
                        .isTrue();
            });
        } finally {
            release.set(true);
            for (var hog : hogs) {
                hog.join();
            }
        }
    }

    @Test
    void awsCliWorksThroughTheGateway() throws Exception {
        Assumptions.assumeTrue(
                Files.isExecutable(AWS_CLI), "AWS CLI v2 not installed at /usr/bin/aws: apt-get install -y awscli");
        var queueName = unique("cli-queue");
        var queueUrl = sqs.createQueue(q -> q.queueName(queueName)).queueUrl();
        sqs.sendMessage(m -> m.queueUrl(queueUrl).messageBody("hello from the SDK"));
        var table = unique("cli-table");
        dynamoDb.createTable(t -> t.tableName(table)
                .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH))
                .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S))
                .billingMode("PAY_PER_REQUEST"));
        stack.eventBridge().clearAcceptedEvents();

        assertThat(aws("sqs", "list-queues")).contains(queueUrl);
        assertThat(aws("sqs", "receive-message", "--queue-url", queueUrl)).contains("hello from the SDK");
        assertThat(aws("dynamodb", "list-tables")).contains(table);
        var putEvents = JSON.readTree(aws(
                "events",
                "put-events",
                "--entries",
                "[{\"Source\":\"cli\",\"DetailType\":\"CliEvent\",\"Detail\":\"{\\\"a\\\":1}\"}]"));
        assertThat(putEvents.get("FailedEntryCount").asInt()).isZero();
        assertThat(stack.eventBridge().acceptedEvents())
                .singleElement()
                .satisfies(event -> assertThat(event.detailType()).isEqualTo("CliEvent"));
        var bucket = unique("cli-bucket");
        var file = Files.createTempFile("archive", ".gz");
        Files.write(file, new byte[] {31, -117, 8, 0, 0, 0, 0, 0, 0, 3, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0});
        aws("s3api", "create-bucket", "--bucket", bucket);
        aws("s3", "cp", file.toString(), "s3://" + bucket + "/events/year=2026/a.gz");
        assertThat(aws("s3", "ls", "--recursive", "s3://" + bucket + "/")).contains("events/year=2026/a.gz");
        try (S3Client s3 =
                stack.configure(S3Client.builder()).forcePathStyle(true).build()) {
            assertThat(s3.getObjectAsBytes(request -> request.bucket(bucket).key("events/year=2026/a.gz"))
                            .asByteArray())
                    .isEqualTo(Files.readAllBytes(file));
        }
    }

    @Test
    void closeLeavesNoDynaliteProcessBehind() {
        var own = EmbeddedAwsStack.start(0);
        var dynalite = own.dynamoDbProcess();
        assertThat(dynalite.isAlive()).isTrue();

        own.close();

        await().atMost(Duration.ofSeconds(10)).until(() -> !dynalite.isAlive());
    }

    @Test
    void failsWithInstallHintWhenDynaliteIsMissing() {
        System.setProperty("dynalite.dir", "/nonexistent/dynalite");
        try {
            assertThatThrownBy(() -> EmbeddedAwsStack.start(0))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("/nonexistent/dynalite")
                    .hasMessageContaining("./mvnw -pl tools/embedded-aws generate-resources");
        } finally {
            System.clearProperty("dynalite.dir");
        }
    }

    /** A DynamoDB client through the gateway that gives up on a call after one attempt of one second. */
    private static DynamoDbClient impatientDynamoDb() {
        return DynamoDbClient.builder()
                .endpointOverride(stack.endpoint())
                .region(Region.of(EmbeddedAwsStack.REGION))
                .credentialsProvider(EmbeddedAwsStack.credentials())
                .overrideConfiguration(
                        o -> o.apiCallAttemptTimeout(Duration.ofSeconds(1)).retryStrategy(b -> b.maxAttempts(1)))
                .build();
    }

    private static EventBridgeClient eventBridgeClient(RetryMode retryMode) {
        var override = ClientOverrideConfiguration.builder();
        if (retryMode == null) {
            override.retryStrategy(b -> b.maxAttempts(1));
        } else {
            override.retryStrategy(retryMode);
        }
        return EventBridgeClient.builder()
                .endpointOverride(stack.endpoint())
                .region(Region.of(EmbeddedAwsStack.REGION))
                .credentialsProvider(EmbeddedAwsStack.credentials())
                .overrideConfiguration(override.build())
                .build();
    }

    /** A bus with a rule for {@code *UpdatedEvent} whose target is a new queue; returns that queue's URL. */
    private static String busWithRuleToNewQueue(String bus) {
        var queueUrl = sqs.createQueue(q -> q.queueName(unique("target"))).queueUrl();
        events.createEventBus(b -> b.name(bus));
        var ruleArn = events.putRule(r -> r.eventBusName(bus)
                        .name("updated")
                        .eventPattern("{\"detail-type\":[{\"suffix\":\"UpdatedEvent\"}]}")
                        .state(RuleState.ENABLED))
                .ruleArn();
        assertThat(ruleArn).isEqualTo("arn:aws:events:us-east-1:000000000000:rule/" + bus + "/updated");
        events.putTargets(t -> t.eventBusName(bus)
                .rule("updated")
                .targets(target -> target.id("queue").arn(queueArn(queueUrl))));
        assertThat(events.listTargetsByRule(l -> l.eventBusName(bus).rule("updated"))
                        .targets())
                .singleElement()
                .satisfies(target -> assertThat(target.arn()).isEqualTo(queueArn(queueUrl)));
        return queueUrl;
    }

    private static PutEventsRequestEntry entry(String bus, String detailType, String detail) {
        return PutEventsRequestEntry.builder()
                .eventBusName(bus)
                .source("com.kahula.test")
                .detailType(detailType)
                .detail(detail)
                .build();
    }

    private static String queueArn(String queueUrl) {
        return sqs.getQueueAttributes(a -> a.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes()
                .get(QueueAttributeName.QUEUE_ARN);
    }

    /** Everything in the queue now: delivery happens before PutEvents answers, so nothing is still in flight. */
    private static List<Message> receiveAll(String queueUrl) {
        var all = new ArrayList<Message>();
        List<Message> batch;
        do {
            batch = sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10))
                    .messages();
            all.addAll(batch);
        } while (!batch.isEmpty());
        return all;
    }

    private static List<String> fieldNames(JsonNode node) {
        var names = new ArrayList<String>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String aws(String... command) throws IOException, InterruptedException {
        var args = new ArrayList<>(
                List.of(AWS_CLI.toString(), "--endpoint-url", stack.endpoint().toString()));
        args.addAll(List.of(command));
        args.addAll(List.of("--output", "json"));
        var builder = new ProcessBuilder(args).redirectErrorStream(true);
        var env = builder.environment();
        env.put("AWS_ACCESS_KEY_ID", EmbeddedAwsStack.ACCESS_KEY);
        env.put("AWS_SECRET_ACCESS_KEY", EmbeddedAwsStack.SECRET_KEY);
        env.put("AWS_DEFAULT_REGION", EmbeddedAwsStack.REGION);
        env.put("AWS_PAGER", "");
        // keep a developer's own profile out of the test
        env.put("AWS_CONFIG_FILE", "/dev/null");
        env.put("AWS_SHARED_CREDENTIALS_FILE", "/dev/null");
        env.remove("AWS_PROFILE");
        var process = builder.start();
        var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue())
                .as("aws %s%n%s", String.join(" ", command), output)
                .isZero();
        return output;
    }
}
