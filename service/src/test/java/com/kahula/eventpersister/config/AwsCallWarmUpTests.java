package com.kahula.eventpersister.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/** The clients' first calls, made as each client is made, against an HTTP server that records what reaches it. */
class AwsCallWarmUpTests {

    private final Recorder aws = new Recorder();

    @AfterEach
    void stop() {
        aws.close();
    }

    @Test
    void startsADescribeTableOfTheEventTableWhenTheTableClientIsMade() {
        try (DynamoDbAsyncClient dynamoDb = aws.client(DynamoDbAsyncClient.builder())) {
            Object processed = warmUp(Map.of()).postProcessAfterInitialization(dynamoDb, "dynamoDbAsyncClient");

            assertThat(processed).isSameAs(dynamoDb);
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(aws.calls())
                            .singleElement()
                            .satisfies(call -> assertThat(call)
                                    .startsWith("DynamoDB_20120810.DescribeTable")
                                    .contains("\"TableName\":\"t\"")));
        }
    }

    @Test
    void startsAGetQueueUrlOfTheEventQueueWhenTheQueueClientIsMade() {
        try (SqsAsyncClient sqs = aws.client(SqsAsyncClient.builder())) {
            warmUp(Map.of()).postProcessAfterInitialization(sqs, "sqsAsyncClient");

            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(aws.calls())
                            .singleElement()
                            .satisfies(call -> assertThat(call)
                                    .startsWith("AmazonSQS.GetQueueUrl")
                                    .contains("\"QueueName\":\"q\"")));
        }
    }

    @Test
    void callsNothingWhenTheServiceProvisionsItsOwnResources() {
        try (DynamoDbAsyncClient dynamoDb = aws.client(DynamoDbAsyncClient.builder())) {
            warmUp(Map.of("persister.provisioning.enabled", "true"))
                    .postProcessAfterInitialization(dynamoDb, "dynamoDbAsyncClient");
            // a call of the test's own, after: it must be the first that reaches AWS
            dynamoDb.listTables();

            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(aws.calls()).isNotEmpty());
            assertThat(aws.calls()).singleElement().asString().startsWith("DynamoDB_20120810.ListTables");
        }
    }

    @Test
    void leavesEveryOtherBeanAsItIs() {
        Object bean = new Object();

        assertThat(warmUp(Map.of()).postProcessAfterInitialization(bean, "other"))
                .isSameAs(bean);
        assertThat(aws.calls()).isEmpty();
    }

    private static AwsCallWarmUp warmUp(Map<String, String> overrides) {
        StaticListableBeanFactory beans = new StaticListableBeanFactory();
        beans.addBean("properties", RetryBudgetTests.properties(overrides));
        return new AwsCallWarmUp(beans.getBeanProvider(PersisterProperties.class));
    }

    /** AWS's JSON protocols in one HTTP server: records each call as its target and body, answers 400. */
    private static final class Recorder implements AutoCloseable {

        private final HttpServer server;
        private final List<String> calls = new CopyOnWriteArrayList<>();

        Recorder() {
            try {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            server.createContext("/", exchange -> {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                calls.add(exchange.getRequestHeaders().getFirst("X-Amz-Target") + " " + body);
                exchange.sendResponseHeaders(400, -1);
                exchange.close();
            });
            server.start();
        }

        <C, B extends software.amazon.awssdk.awscore.client.builder.AwsClientBuilder<B, C>> C client(B builder) {
            return builder.endpointOverride(
                            URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
                    .region(Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                    .build();
        }

        List<String> calls() {
            return List.copyOf(calls);
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
