package com.kahula.bench;

import com.kahula.bench.cost.AwsCall;
import com.kahula.bench.cost.AwsCallRecorder;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The stack's JVM from its start to its stop: its endpoints, its CPU time, and the clients of its resources. */
final class BenchStack implements AutoCloseable {

    private final Process process;
    private final URI gateway;
    private final AwsCallRecorder sqsCalls;
    private final AwsCallRecorder dynamoDbCalls;
    private final AwsCallRecorder gatewayCalls;
    private final StackResources resources;
    private final OtlpReceiver otlp;

    /**
     * CPU time so far of the emulators: this stack's JVM (ElasticMQ, the EventBridge emulator, the gateway) and its
     * descendants (dynalite, s3rver). With the contestant's own, it is what the machine spends per event.
     */
    long cpuMillis() {
        return ProcessStats.of(process.pid()).cpuMillis()
                + process.descendants()
                        .mapToLong(child -> ProcessStats.of(child.pid()).cpuMillis())
                        .sum();
    }

    /**
     * The endpoints in the order of the stack's ready line: gateway, SQS, DynamoDB, and the contestants' two; the
     * contestants reach those two and the gateway through recorders of their calls, in this JVM.
     */
    private BenchStack(Process process, String[] endpoints, OtlpReceiver otlp) {
        this.otlp = otlp;
        this.process = process;
        this.gateway = URI.create(endpoints[0]);
        // the answers the cost model reads: receives (their size), PutEvents (which entries the bus took), reads
        this.sqsCalls = AwsCallRecorder.start(URI.create(endpoints[3]), action -> action.endsWith(".ReceiveMessage"));
        this.dynamoDbCalls = AwsCallRecorder.start(URI.create(endpoints[4]), action -> true);
        this.gatewayCalls = AwsCallRecorder.start(gateway, action -> action.endsWith(".PutEvents"));
        this.resources = new StackResources(gateway, URI.create(endpoints[1]), URI.create(endpoints[2]));
    }

    static BenchStack start(String java, String classpath, long latencyMillis, Path logs) throws IOException {
        List<String> command = new ArrayList<>(
                List.of(java, "-Xmx1g", "-cp", classpath, BenchStackMain.class.getName(), "--latency-ms"));
        command.add(Long.toString(latencyMillis));
        Process process = new ProcessBuilder(command)
                .redirectError(logs.resolve("stack.log").toFile())
                .start();
        BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null && !line.startsWith(BenchStackMain.READY_PREFIX)) {
            // the stack's own output before its endpoints
        }
        if (line == null) {
            throw new IllegalStateException("the stack did not start; see " + logs.resolve("stack.log"));
        }
        String[] endpoints =
                line.substring(BenchStackMain.READY_PREFIX.length()).split(" ");
        Thread.ofVirtual().start(() -> {
            try {
                out.transferTo(Writer.nullWriter());
            } catch (IOException e) {
                // the stack ended
            }
        });
        return new BenchStack(process, endpoints, OtlpReceiver.start());
    }

    URI gateway() {
        return gateway;
    }

    /** The gateway as the contestants reach it (EventBridge, and what else they call but SQS and DynamoDB). */
    URI contestantGateway() {
        return gatewayCalls.endpoint();
    }

    URI contestantSqs() {
        return sqsCalls.endpoint();
    }

    URI contestantDynamoDb() {
        return dynamoDbCalls.endpoint();
    }

    /** The calls the contestants made since the last time, by SQS, DynamoDB and the gateway; forgets them. */
    RecordedCalls takeCalls() {
        return new RecordedCalls(sqsCalls.take(), dynamoDbCalls.take(), gatewayCalls.take());
    }

    /** Calls recorded on the wire, by the endpoint they went to, each in the order of their answers. */
    record RecordedCalls(List<AwsCall> sqs, List<AwsCall> dynamoDb, List<AwsCall> gateway) {}

    /** The stand-in for the collector sidecar, which the service's spans are exported to. */
    OtlpReceiver otlp() {
        return otlp;
    }

    /** The queues and tables on this stack, through the endpoints without the added latency. */
    StackResources resources() {
        return resources;
    }

    /** Closes the clients, then the JVM's stdin, which stops the stack. */
    @Override
    public void close() {
        resources.close();
        otlp.close();
        closeQuietly(sqsCalls);
        closeQuietly(dynamoDbCalls);
        closeQuietly(gatewayCalls);
        try {
            process.getOutputStream().close();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(AwsCallRecorder recorder) {
        try {
            recorder.close();
        } catch (IOException e) {
            // its socket was closed already
        }
    }
}
