package com.kahula.embeddedaws;

import java.net.URI;
import org.elasticmq.NodeAddress;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;

/** ElasticMQ, the SQS emulator, in-process on an internal port; the queue URLs it hands out name the gateway. */
final class ElasticMqServer implements AutoCloseable {

    private final SQSRestServer server;
    private final URI endpoint;

    private ElasticMqServer(SQSRestServer server, int port) {
        this.server = server;
        this.endpoint = URI.create("http://127.0.0.1:" + port);
    }

    static ElasticMqServer start(int gatewayPort) {
        var server = SQSRestServerBuilder.withInterface("127.0.0.1")
                .withPort(0)
                .withServerAddress(new NodeAddress("http", "localhost", gatewayPort, ""))
                .withAWSRegion(EmbeddedAwsStack.REGION)
                .withAWSAccountId(EmbeddedAwsStack.ACCOUNT_ID)
                .start();
        var port = server.waitUntilStarted().localAddress().getPort();
        return new ElasticMqServer(server, port);
    }

    URI endpoint() {
        return endpoint;
    }

    @Override
    public void close() {
        server.stopAndWait();
    }
}
