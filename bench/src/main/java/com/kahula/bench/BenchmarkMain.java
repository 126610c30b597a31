package com.kahula.bench;

import com.kahula.eventpersister.provisioning.AwsProvisioner;
import com.kahula.eventpersister.provisioning.AwsResources;
import com.kahula.eventpersister.store.EventTable;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.Select;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * The benchmark: in one run on one embedded stack (its own JVM), drains the same preloaded messages with the floor,
 * the naive listener, the service and the service without follow-up rules in turn, each in a JVM of its own started
 * with the same flags, each on a fresh queue and table; reports events/s, CPU per event, peak RSS, the service's
 * readiness and latency, and the ratios. The medians table and one summary line go to the console, the full markdown
 * table to {@code target/bench/}. Run it with {@code bench/run.sh}.
 */
public final class BenchmarkMain {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
    private static final Duration POLL = Duration.ofMillis(50);

    private final BenchOptions options;
    private final Path logs;
    private final String classpath = System.getProperty("java.class.path");
    private final String java =
            Path.of(System.getProperty("java.home"), "bin", "java").toString();
    private BenchStack stack;
    private SqsAsyncClient sqs;
    private DynamoDbClient dynamoDb;
    private DynamoDbAsyncClient dynamoDbAsync;
    private EventBridgeClient eventBridge;
    private AwsProvisioner provisioner;
    private List<String> serviceLaunch;
    private List<String> baselineLaunch;
    private Double plainJarReadySeconds;

    private BenchmarkMain(BenchOptions options) {
        this.options = options;
        this.logs = options.outputDirectory().resolve("logs");
    }

    public static void main(String[] args) throws Exception {
        if (List.of(args).contains("--help")) {
            System.out.println(BenchOptions.usage());
            return;
        }
        BenchOptions options = BenchOptions.parse(args);
        BenchReport report = new BenchmarkMain(options).run();
        Path file = report.write(options.outputDirectory(), LocalDateTime.now().format(STAMP));
        System.out.println();
        System.out.println(report.mediansTable());
        System.out.println(report.summaryLine() + " -> " + file);
        System.exit(0);
    }

    /** Runs everything and returns the report; visible to the test that proves the pieces fit. */
    static BenchReport run(String... args) throws Exception {
        return new BenchmarkMain(BenchOptions.parse(args)).run();
    }

    private BenchReport run() throws Exception {
        Files.createDirectories(logs);
        BenchMessages.Batch batch = BenchMessages.generate(options.messages(), 42);
        log("%d messages, %d distinct events, %d duplicates; %d ms added latency"
                .formatted(
                        batch.bodies().size(),
                        batch.distinct(),
                        batch.bodies().size() - batch.distinct(),
                        options.latencyMillis()));
        try (BenchStack started = BenchStack.start(java, classpath, options.latencyMillis(), logs)) {
            stack = started;
            var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
            sqs = SqsAsyncClient.builder()
                    .endpointOverride(stack.sqs())
                    .region(Region.US_EAST_1)
                    .credentialsProvider(credentials)
                    .build();
            dynamoDb = DynamoDbClient.builder()
                    .endpointOverride(stack.dynamoDb())
                    .region(Region.US_EAST_1)
                    .credentialsProvider(credentials)
                    .build();
            dynamoDbAsync = DynamoDbAsyncClient.builder()
                    .endpointOverride(stack.dynamoDb())
                    .region(Region.US_EAST_1)
                    .credentialsProvider(credentials)
                    .build();
            eventBridge = EventBridgeClient.builder()
                    .endpointOverride(stack.gateway())
                    .region(Region.US_EAST_1)
                    .credentialsProvider(credentials)
                    .build();
            provisioner = new AwsProvisioner(sqs, dynamoDbAsync, eventBridge);
            if (options.contestants().stream().anyMatch(c -> c.isService() && c != Contestant.BASELINE)) {
                serviceLaunch = prepareService(options.serviceJar(), "service");
                measurePlainJarReadiness();
            }
            if (options.contestants().contains(Contestant.BASELINE)) {
                baselineLaunch = serviceLaunch != null && options.baselineJar().equals(options.serviceJar())
                        ? serviceLaunch
                        : prepareService(options.baselineJar(), "baseline");
            }
            if (options.warmupMessages() > 0) {
                log("warm-up: the floor drains %d messages to warm the emulators (not reported)"
                        .formatted(options.warmupMessages()));
                BenchMessages.Batch warmup = BenchMessages.generate(options.warmupMessages(), 7);
                drain(Contestant.FLOOR, "warmup", warmup, false);
            }
            List<List<BenchResult>> runs = new ArrayList<>();
            for (int run = 1; run <= options.runs(); run++) {
                List<Contestant> order = new ArrayList<>(options.contestants());
                // rotate the order between runs, so that no contestant always meets the emulators warmest
                Collections.rotate(order, -(run - 1));
                List<BenchResult> results = new ArrayList<>();
                for (Contestant contestant : order) {
                    BenchResult result = drain(contestant, "r" + run, batch, contestant == Contestant.SERVICE);
                    log(result.toString());
                    results.add(result);
                }
                runs.add(results);
            }
            return new BenchReport(options, batch.bodies().size(), batch.distinct(), runs, plainJarReadySeconds);
        } finally {
            if (sqs != null) {
                sqs.close();
                dynamoDb.close();
                dynamoDbAsync.close();
                eventBridge.close();
            }
        }
    }

    /**
     * The service as it ships in an image: the jar extracted by Spring Boot's jarmode tools, with a JDK AOT cache
     * (JEP 483/514) trained on a start-up that exits after the context refresh; plus one start of the plain jar for
     * comparison of readiness.
     */
    private List<String> prepareService(Path serviceJar, String name) throws Exception {
        Path jar = serviceJar.toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no service jar at " + jar + ": run ./mvnw -DskipTests package first");
        }
        if (!options.serviceAotCache()) {
            return List.of("-jar", jar.toString());
        }
        Path extracted = options.outputDirectory().resolve(name).toAbsolutePath();
        deleteRecursively(extracted);
        exec(List.of(
                java, "-Djarmode=tools", "-jar", jar.toString(), "extract", "--destination", extracted.toString()));
        Path extractedJar = extracted.resolve(jar.getFileName());
        Path cache = extracted.resolve("app.aot");
        String env = name + "-aot-training";
        provision(env);
        List<String> training = new ArrayList<>(List.of(java));
        training.addAll(options.jvmOptions());
        training.addAll(List.of(
                "-XX:AOTCacheOutput=" + cache, "-Dspring.context.exit=onRefresh", "-jar", extractedJar.toString()));
        training.addAll(serviceArguments(env, freePort()));
        log("training the AOT cache of " + jar.getFileName());
        exec(training);
        dispose(env);
        return List.of("-XX:AOTCache=" + cache, "-jar", extractedJar.toString());
    }

    /** The plain {@code java -jar} of the service, for the record: readiness only. */
    private void measurePlainJarReadiness() throws Exception {
        String env = "plain-jar";
        provision(env);
        int port = freePort();
        List<String> plain = new ArrayList<>(List.of(java));
        plain.addAll(options.jvmOptions());
        plain.addAll(List.of("-jar", options.serviceJar().toAbsolutePath().toString()));
        plain.addAll(serviceArguments(env, port));
        Process process = launch(plain, env);
        try {
            plainJarReadySeconds = awaitReady(process, port) / 1000.0;
            log("plain jar ready in %.2f s".formatted(plainJarReadySeconds));
        } finally {
            stop(process);
            dispose(env);
        }
    }

    private BenchResult drain(Contestant contestant, String run, BenchMessages.Batch batch, boolean probeLatency)
            throws Exception {
        String env = run + "-" + contestant.label();
        String queueUrl = provision(env);
        preload(queueUrl, batch.bodies());
        int port = freePort();
        long spawned = System.nanoTime();
        Process process = launch(command(contestant, env, port), env);
        try {
            Double readySeconds = null;
            if (contestant.isService()) {
                readySeconds = awaitReady(process, port) / 1000.0;
            }
            // the first receive: a message turns in flight
            QueueDepth depth = depth(queueUrl);
            while (depth.inFlight() == 0 && depth.visible() == batch.bodies().size()) {
                requireAlive(process, env);
                requireWithin(spawned, env);
                sleep(Duration.ofMillis(5));
                depth = depth(queueUrl);
            }
            long start = System.nanoTime();
            ProcessStats before = ProcessStats.of(process.pid());
            int peakThreads = before.threads();
            while (!depth.empty()) {
                requireAlive(process, env);
                requireWithin(spawned, env);
                sleep(POLL);
                depth = depth(queueUrl);
                peakThreads =
                        Math.max(peakThreads, ProcessStats.of(process.pid()).threads());
            }
            long end = System.nanoTime();
            ProcessStats after = ProcessStats.of(process.pid());
            double seconds = (end - start) / 1e9;
            double eventsPerSecond = batch.bodies().size() / seconds;
            LatencyResult latency = probeLatency && options.latencySeconds() > 0
                    ? probeLatency(queueUrl, env, eventsPerSecond / 2)
                    : null;
            ProcessStats last = ProcessStats.of(process.pid());
            long rows = countRows(tableName(env)) - (latency == null ? 0 : latency.count());
            return new BenchResult(
                    contestant,
                    run,
                    seconds,
                    eventsPerSecond,
                    (double) (after.cpuMillis() - before.cpuMillis())
                            / batch.bodies().size(),
                    Math.max(after.peakRssKb(), last.peakRssKb()) / 1024.0,
                    last.rssKb() / 1024.0,
                    peakThreads,
                    readySeconds,
                    latency,
                    rows,
                    // the service also stores the follow-ups it emits, which come back through the bus rule
                    emitsFollowUps(contestant) ? batch.distinct() + batch.followUps() : batch.distinct(),
                    deadLetters(env));
        } finally {
            stop(process);
            dispose(env);
        }
    }

    private List<String> command(Contestant contestant, String env, int port) {
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(options.jvmOptions());
        switch (contestant) {
            case FLOOR -> {
                command.addAll(List.of("-cp", classpath, FloorConsumerMain.class.getName()));
                command.addAll(List.of(
                        stack.contestantSqs().toString(),
                        stack.contestantDynamoDb().toString(),
                        queueName(env),
                        tableName(env),
                        Integer.toString(options.floorLoops())));
            }
            case NAIVE -> {
                command.addAll(List.of("-cp", classpath, NaiveConsumerMain.class.getName()));
                command.addAll(List.of(
                        // not the service's application.yml, which is on this classpath too
                        "--spring.config.name=naive",
                        "--spring.main.web-application-type=none",
                        "--spring.cloud.aws.region.static=us-east-1",
                        "--spring.cloud.aws.credentials.access-key=test",
                        "--spring.cloud.aws.credentials.secret-key=test",
                        "--spring.cloud.aws.sqs.endpoint=" + stack.contestantSqs(),
                        "--spring.cloud.aws.dynamodb.endpoint=" + stack.contestantDynamoDb(),
                        "--management.cloudwatch.metrics.export.enabled=false",
                        "--bench.queue=" + queueName(env),
                        "--bench.table=" + tableName(env)));
            }
            case SERVICE -> {
                command.addAll(serviceLaunch);
                command.addAll(serviceArguments(env, port));
            }
            case SERVICE_STORE_ONLY -> {
                command.addAll(serviceLaunch);
                command.addAll(serviceArguments(env, port));
                command.add(Contestant.NO_FOLLOW_UP_RULES);
            }
            case BASELINE -> {
                command.addAll(baselineLaunch);
                command.addAll(serviceArguments(env, port));
                command.addAll(options.baselineArguments());
            }
        }
        return command;
    }

    private boolean emitsFollowUps(Contestant contestant) {
        return switch (contestant) {
            case FLOOR, NAIVE, SERVICE_STORE_ONLY -> false;
            case SERVICE -> true;
            case BASELINE -> !options.baselineArguments().contains(Contestant.NO_FOLLOW_UP_RULES);
        };
    }

    private List<String> serviceArguments(String env, int port) {
        return List.of(
                "--spring.profiles.active=local",
                "--spring.cloud.aws.endpoint=" + stack.gateway(),
                "--spring.cloud.aws.sqs.endpoint=" + stack.contestantSqs(),
                "--spring.cloud.aws.dynamodb.endpoint=" + stack.contestantDynamoDb(),
                "--persister.env=" + env,
                "--server.port=" + port);
    }

    /** The queue, its dead-letter queue, the table, the bus and its rule, by the service's own provisioning. */
    private String provision(String env) {
        return provisioner.provision(new AwsResources(
                queueName(env),
                queueName(env) + "-dlq",
                Duration.ofSeconds(30),
                5,
                tableName(env),
                "kahula-events-" + env,
                "{\"source\":[{\"prefix\":\"\"}]}"));
    }

    private void dispose(String env) {
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

    private void preload(String queueUrl, List<String> bodies) {
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
        if (depth.visible() != bodies.size()) {
            throw new IllegalStateException("preloaded " + bodies.size() + " messages, the queue holds " + depth);
        }
    }

    /**
     * Publishes probes at the given rate for {@code --latency-seconds}, each with its publish time as the detail's
     * timestamp, all in one saga; when they are all processed, reads them back by the saga index and takes
     * {@code received_at - timestamp}.
     */
    private LatencyResult probeLatency(String queueUrl, String env, double rate) {
        String saga = "latency-probe-" + env;
        Random random = new Random(11);
        int total = (int) Math.max(10, rate * options.latencySeconds());
        long intervalNanos = (long) (1e9 / Math.max(rate, 1));
        long next = System.nanoTime();
        List<CompletableFuture<?>> sends = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                sleep(Duration.ofNanos(wait));
            }
            next += intervalNanos;
            String body = BenchMessages.probe(random, saga, Instant.now());
            sends.add(sqs.sendMessage(request -> request.queueUrl(queueUrl).messageBody(body)));
        }
        CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).join();
        QueueDepth depth = depth(queueUrl);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!depth.empty() && System.nanoTime() < deadline) {
            sleep(POLL);
            depth = depth(queueUrl);
        }
        List<Long> latencies = new ArrayList<>(total);
        Map<String, AttributeValue> startKey = null;
        do {
            var page = dynamoDb.query(QueryRequest.builder()
                    .tableName(tableName(env))
                    .indexName(EventTable.SAGA_INDEX)
                    .keyConditionExpression("saga_id = :saga")
                    .expressionAttributeValues(Map.of(":saga", AttributeValue.fromS(saga)))
                    .exclusiveStartKey(startKey)
                    .build());
            for (var item : page.items()) {
                latencies.add(Duration.between(
                                Instant.parse(item.get(EventTable.TIMESTAMP).s()),
                                Instant.parse(item.get(EventTable.RECEIVED_AT).s()))
                        .toMillis());
            }
            startKey =
                    page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (startKey != null);
        Collections.sort(latencies);
        if (latencies.size() < total) {
            log("latency probe: only %d of %d probes stored".formatted(latencies.size(), total));
        }
        return new LatencyResult(rate, latencies.size(), percentile(latencies, 50), percentile(latencies, 99));
    }

    private static long percentile(List<Long> sorted, int percent) {
        if (sorted.isEmpty()) {
            return -1;
        }
        int index = (int) Math.ceil(percent / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1)));
    }

    private long countRows(String table) {
        long rows = 0;
        Map<String, AttributeValue> startKey = null;
        do {
            var page = dynamoDb.scan(ScanRequest.builder()
                    .tableName(table)
                    .select(Select.COUNT)
                    .exclusiveStartKey(startKey)
                    .build());
            rows += page.count();
            startKey =
                    page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (startKey != null);
        return rows;
    }

    private int deadLetters(String env) {
        String url = sqs.getQueueUrl(request -> request.queueName(queueName(env) + "-dlq"))
                .join()
                .queueUrl();
        QueueDepth depth = depth(url);
        return depth.visible() + depth.inFlight();
    }

    private QueueDepth depth(String queueUrl) {
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

    private record QueueDepth(int visible, int inFlight, int delayed) {
        boolean empty() {
            return visible == 0 && inFlight == 0 && delayed == 0;
        }
    }

    /** Milliseconds from now (the JVM was just spawned) until /actuator/health answers UP. */
    private long awaitReady(Process process, int port) {
        long spawned = System.nanoTime();
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"))
                .timeout(Duration.ofSeconds(2))
                .build();
        while (true) {
            requireAlive(process, "service");
            requireWithin(spawned, "service readiness");
            try {
                HttpResponse<String> response = http.send(health, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200 && response.body().contains("\"UP\"")) {
                    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - spawned);
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(Duration.ofMillis(10));
        }
    }

    private Process launch(List<String> command, String name) throws IOException {
        Path log = logs.resolve(name + ".log");
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    private void exec(List<String> command) throws IOException, InterruptedException {
        Path log = logs.resolve("prepare-service.log");
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException("failed: " + String.join(" ", command) + "; see " + log);
        }
    }

    private static void stop(Process process) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private void requireAlive(Process process, String what) {
        if (!process.isAlive()) {
            throw new IllegalStateException(what + " exited with status " + process.exitValue() + "; see " + logs);
        }
    }

    private void requireWithin(long startNanos, String what) {
        if (System.nanoTime() - startNanos > TimeUnit.SECONDS.toNanos(options.timeoutSeconds())) {
            throw new IllegalStateException(what + " did not finish within " + options.timeoutSeconds() + " s");
        }
    }

    private static String queueName(String env) {
        return "kahula-event-persister-" + env;
    }

    private static String tableName(String env) {
        return "kahula-events-" + env;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void deleteRecursively(Path directory) throws IOException {
        if (Files.exists(directory)) {
            try (var paths = Files.walk(directory)) {
                for (Path path : paths.sorted(Collections.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }

    static void log(String line) {
        System.out.println("[bench] " + line);
        System.out.flush();
    }

    /** The stack's JVM and its endpoints; closing it closes the JVM's stdin, which stops the stack. */
    record BenchStack(Process process, URI gateway, URI sqs, URI dynamoDb, URI contestantSqs, URI contestantDynamoDb)
            implements AutoCloseable {

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
            return new BenchStack(
                    process,
                    URI.create(endpoints[0]),
                    URI.create(endpoints[1]),
                    URI.create(endpoints[2]),
                    URI.create(endpoints[3]),
                    URI.create(endpoints[4]));
        }

        @Override
        public void close() {
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
    }
}
