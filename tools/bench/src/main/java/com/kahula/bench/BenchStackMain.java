package com.kahula.bench;

import com.kahula.embeddedaws.EmbeddedAwsStack;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;

/**
 * The benchmark's AWS stack in a JVM of its own, so that no contestant shares the emulators' process: prints its
 * endpoints as one line, {@code BENCH-STACK <gateway> <sqs> <dynamodb> <contestants' sqs> <contestants' dynamodb>}, and stops when its stdin closes. With
 * {@code --latency-ms N} the SQS and DynamoDB endpoints are delay lines adding N ms to each call.
 */
public final class BenchStackMain {

    static final String READY_PREFIX = "BENCH-STACK ";

    private BenchStackMain() {}

    public static void main(String[] args) throws IOException {
        long latencyMillis = 0;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--latency-ms")) {
                latencyMillis = Long.parseLong(args[++i]);
            }
        }
        try (EmbeddedAwsStack stack = EmbeddedAwsStack.start(0)) {
            URI rawSqs = stack.sqsEndpoint();
            URI rawDynamoDb = stack.dynamoDbEndpoint();
            URI sqs = rawSqs;
            URI dynamoDb = rawDynamoDb;
            DelayProxy sqsDelay = null;
            DelayProxy dynamoDbDelay = null;
            if (latencyMillis > 0) {
                sqsDelay = DelayProxy.start(sqs, latencyMillis);
                dynamoDbDelay = DelayProxy.start(dynamoDb, latencyMillis);
                sqs = sqsDelay.endpoint();
                dynamoDb = dynamoDbDelay.endpoint();
            }
            System.out.println(READY_PREFIX
                    + String.join(
                            " ",
                            stack.endpoint().toString(),
                            rawSqs.toString(),
                            rawDynamoDb.toString(),
                            sqs.toString(),
                            dynamoDb.toString()));
            System.out.flush();
            // the orchestrator holds our stdin: when it ends, even by a kill, so does the stack
            try (InputStream in = System.in) {
                in.transferTo(OutputStream.nullOutputStream());
            }
            if (sqsDelay != null) {
                sqsDelay.close();
                dynamoDbDelay.close();
            }
        }
        System.exit(0);
    }
}
