package com.kahula.eventpersister.deployment;

import static com.kahula.eventpersister.support.CloudFormationYaml.at;
import static com.kahula.eventpersister.support.CloudFormationYaml.list;
import static com.kahula.eventpersister.support.CloudFormationYaml.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.kahula.eventpersister.config.PersisterProperties;
import com.kahula.eventpersister.followup.FollowUp;
import com.kahula.eventpersister.observability.PersisterMetrics;
import com.kahula.eventpersister.store.EventTable;
import com.kahula.eventpersister.support.AwsActions;
import com.kahula.eventpersister.support.AwsActions.Target;
import com.kahula.eventpersister.support.CloudFormationYaml;
import com.kahula.eventpersister.support.CloudWatchPublication;
import com.kahula.eventpersister.support.RepositoryFiles;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.convert.DurationStyle;
import org.yaml.snakeyaml.Yaml;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.event.ruler.Machine;

/** Holds ecs/event-persister.yml to what the service does: its calls, its table, its events, its shutdown. */
class EcsTemplateTests {

    private static final Path TEMPLATE = RepositoryFiles.of("ecs/event-persister.yml");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The task role's one statement for the collector sidecar rather than the service. */
    private static final String COLLECTOR_STATEMENT = "ExportTraces";

    private static final String COLLECTOR_REPOSITORY = "aws-observability/aws-otel-collector";

    /**
     * The JVM's committed native memory (everything but the heap) at its peak while the service drained the bench's
     * queue, by Native Memory Tracking (docs/capacity.md).
     */
    private static final double MEASURED_NATIVE_MEMORY_MIB = 198.6;

    /** Resource types without tags in CloudFormation (cfn-lint 1.51's resource schemas have no Tags property). */
    private static final Set<String> UNTAGGABLE = Set.of(
            "AWS::SQS::QueuePolicy",
            "AWS::S3::BucketPolicy",
            "AWS::Logs::LogStream",
            "AWS::Glue::Database",
            "AWS::Glue::Table",
            "AWS::Athena::NamedQuery",
            "AWS::ApplicationAutoScaling::ScalableTarget",
            "AWS::ApplicationAutoScaling::ScalingPolicy",
            "AWS::SNS::Subscription",
            "AWS::SNS::TopicPolicy",
            "AWS::IAM::RolePolicy",
            "AWS::CloudWatch::Dashboard");

    private final Map<String, Object> template = CloudFormationYaml.read(TEMPLATE);

    @Test
    void taskRoleGrantsExactlyTheActionsTheServiceCalls() {
        Map<Target, Set<String>> granted = new HashMap<>();
        for (Map<String, Object> statement : policyStatements(resource("TaskRole"))) {
            if (COLLECTOR_STATEMENT.equals(statement.get("Sid"))) {
                continue; // the collector sidecar's, held by taskRoleLetsTheCollectorWriteToXRayAndNothingElse
            }
            assertThat(statement.get("Effect")).isEqualTo("Allow");
            assertThat(statement).doesNotContainKeys("NotAction", "NotResource");
            List<String> actions = strings(list(statement, "Action"));
            assertThat(actions).as("actions").noneMatch(action -> action.contains("*"));
            for (Object resource : list(statement, "Resource")) {
                granted.computeIfAbsent(target(resource, statement), key -> new HashSet<>())
                        .addAll(actions);
            }
        }
        assertThat(granted).isEqualTo(AwsActions.TASK_ROLE);
    }

    @Test
    void everyAwsCallInTheCodeIsGranted() {
        Set<String> called = awsCalls(type -> !type.getPackageName().endsWith(".provisioning")
                && !type.getPackageName().endsWith(".toolkit")
                && !type.getSimpleName().equals("ProvisioningConfiguration"));
        assertThat(called)
                .as("the scan finds the calls it should")
                .contains("dynamodb:PutItem", "sqs:SendMessage", "events:PutEvents");
        assertThat(AwsActions.all()).containsAll(called);
    }

    @Test
    void restoreAndReplayRolesGrantExactlyWhatTheirCommandsCall() {
        assertThat(grants("RestoreTaskRole")).isEqualTo(AwsActions.RESTORE_ROLE);
        assertThat(grants("ReplayTaskRole")).isEqualTo(AwsActions.REPLAY_ROLE);
        assertThat(awsCalls(type -> Set.of("S3Archive", "SqsRestoreQueue").contains(type.getSimpleName())))
                .isEqualTo(AwsActions.all(AwsActions.RESTORE_ROLE));
        assertThat(awsCalls(type ->
                        Set.of("DynamoDbStoredEvents", "EventBridgeReplayBus").contains(type.getSimpleName())))
                .isEqualTo(AwsActions.all(AwsActions.REPLAY_ROLE));
        assertThat(awsCalls(type -> type.getPackageName().endsWith(".toolkit")))
                .as("the toolkit calls AWS only through its adapters")
                .isEqualTo(awsCalls(type -> type.getPackageName().endsWith(".toolkit")
                        && Set.of(
                                        "S3Archive",
                                        "SqsRestoreQueue",
                                        "DynamoDbStoredEvents",
                                        "EventBridgeReplayBus",
                                        "DynamoDbOutboxBackfill",
                                        "SqsDeadLetters",
                                        "DynamoDbStoredRows")
                                .contains(type.getSimpleName())));
    }

    @Test
    void followUpsRoleGrantsExactlyWhatTheFollowUpsCommandCalls() {
        Set<String> reached = reachableFrom(FOLLOW_UPS_COMMAND);

        assertThat(reached)
                .as("the command reaches the service's own outbox and publisher, and its backfill")
                .contains(
                        "com.kahula.eventpersister.store.DynamoDbFollowUpOutbox",
                        "com.kahula.eventpersister.followup.EventBridgeFollowUpPublisher",
                        "com.kahula.eventpersister.toolkit.DynamoDbOutboxBackfill");
        assertThat(grants("FollowUpsTaskRole")).isEqualTo(AwsActions.FOLLOW_UPS_ROLE);
        assertThat(awsCalls(type -> reached.contains(type.getName())))
                .as("every AWS call in the classes the command reaches, and nothing else")
                .isEqualTo(AwsActions.all(AwsActions.FOLLOW_UPS_ROLE));
    }

    @Test
    void deadLettersRoleGrantsExactlyWhatTheDeadLettersCommandCalls() {
        Set<String> reached = reachableFrom(DEAD_LETTERS_COMMAND);

        assertThat(reached)
                .as("the command reaches its two adapters")
                .contains(
                        "com.kahula.eventpersister.toolkit.SqsDeadLetters",
                        "com.kahula.eventpersister.toolkit.DynamoDbStoredRows");
        assertThat(grants("DeadLettersTaskRole")).isEqualTo(AwsActions.DEAD_LETTERS_ROLE);
        assertThat(awsCalls(type -> reached.contains(type.getName())))
                .as("every AWS call in the classes the command reaches, and nothing else")
                .isEqualTo(AwsActions.all(AwsActions.DEAD_LETTERS_ROLE));
    }

    @Test
    void toolkitCommandsRunAsOneOffTasksOfTheServicesImageWithTheirOwnRoles() {
        Map<String, Object> service = container();
        Map<String, String> commands = Map.of(
                "Restore", "restore",
                "Replay", "replay",
                "FollowUps", "followups",
                "DeadLetters", "dead-letters");
        for (String command : commands.keySet()) {
            Map<String, Object> task = resource(command + "TaskDefinition");
            assertThat(task.get("TaskRoleArn")).isEqualTo(getAtt(command + "TaskRole.Arn"));
            assertThat(task.get("ExecutionRoleArn")).isEqualTo(getAtt("ExecutionRole.Arn"));
            assertThat(at(task, "RuntimePlatform", "CpuArchitecture")).isEqualTo("ARM64");
            List<Map<String, Object>> containers = maps(list(task, "ContainerDefinitions"));
            assertThat(containers).singleElement().satisfies(container -> {
                assertThat(container.get("Image")).isEqualTo(service.get("Image"));
                assertThat(container.get("ReadonlyRootFilesystem")).isEqualTo(true);
                assertThat(list(container, "Command")).first().isEqualTo(commands.get(command));
                assertThat(container).doesNotContainKey("HealthCheck");
                assertThat(environment(container)).containsEntry("PERSISTER_ENV", ref("Env"));
            });
            assertThat(map(template, "Outputs", command + "TaskDefinition"))
                    .containsEntry("Value", ref(command + "TaskDefinition"));
        }
        assertThat(com.kahula.eventpersister.toolkit.Toolkit.COMMANDS).containsAll(commands.values());
    }

    /** The dead-letters command: its class, whose nested classes are its subcommands. */
    private static final String DEAD_LETTERS_COMMAND = "com.kahula.eventpersister.toolkit.DeadLettersCommand";

    /** The followups command: its class, whose nested classes are its subcommands. */
    private static final String FOLLOW_UPS_COMMAND = "com.kahula.eventpersister.toolkit.FollowUpsCommand";

    /**
     * The names of the service's main classes that {@code root} and its nested classes depend on, directly or through
     * others: all the code that running it can execute.
     */
    private static Set<String> reachableFrom(String root) {
        JavaClasses classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("com.kahula.eventpersister");
        Set<String> reached = new TreeSet<>();
        java.util.Deque<JavaClass> todo = new java.util.ArrayDeque<>();
        classes.stream()
                .filter(type -> type.getName().equals(root) || type.getName().startsWith(root + "$"))
                .forEach(todo::add);
        assertThat(todo).as(root).isNotEmpty();
        while (!todo.isEmpty()) {
            JavaClass type = todo.pop();
            if (reached.add(type.getName())) {
                type.getDirectDependenciesFromSelf().stream()
                        .map(dependency -> dependency.getTargetClass().getBaseComponentType())
                        .filter(target -> classes.contain(target.getName()))
                        .map(target -> classes.get(target.getName()))
                        .forEach(todo::add);
            }
        }
        return reached;
    }

    /** The IAM actions the main classes that {@code scanned} accepts call on AWS SDK clients. */
    private static Set<String> awsCalls(
            java.util.function.Predicate<com.tngtech.archunit.core.domain.JavaClass> scanned) {
        Set<String> called = new TreeSet<>();
        for (JavaMethodCall call : new ClassFileImporter()
                        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("com.kahula.eventpersister")
                        .stream()
                        .filter(scanned)
                        .flatMap(type -> type.getMethodCallsFromSelf().stream())
                        .toList()) {
            String owner = call.getTargetOwner().getName();
            Matcher client = Pattern.compile("software\\.amazon\\.awssdk\\.services\\.(\\w+)\\.\\w+Client")
                    .matcher(owner);
            String method = call.getName();
            if (client.matches() && !NOT_OPERATIONS.contains(method)) {
                called.add(AwsActions.iamAction(
                        client.group(1), Character.toUpperCase(method.charAt(0)) + method.substring(1)));
            }
        }
        return called;
    }

    /** What a toolkit role grants, by the resource it grants it on. */
    private Map<Target, Set<String>> grants(String role) {
        Map<Target, Set<String>> granted = new HashMap<>();
        for (Map<String, Object> statement : policyStatements(resource(role))) {
            assertThat(statement.get("Effect")).isEqualTo("Allow");
            assertThat(statement).doesNotContainKeys("NotAction", "NotResource");
            List<String> actions = strings(list(statement, "Action"));
            assertThat(actions).as("actions").noneMatch(action -> action.contains("*"));
            for (Object resource : list(statement, "Resource")) {
                granted.computeIfAbsent(toolkitTarget(resource, statement), key -> new HashSet<>())
                        .addAll(actions);
            }
        }
        return granted;
    }

    private static Target toolkitTarget(Object resource, Map<String, Object> statement) {
        if (resource.equals(getAtt("ArchiveBucket.Arn"))) {
            assertThat(statement.get("Condition"))
                    .as("the bucket is listed only under events/")
                    .isEqualTo(Map.of("StringLike", Map.of("s3:prefix", "events/*")));
            return Target.ARCHIVE_BUCKET;
        }
        if (resource.equals(Map.of("Fn::Sub", "${ArchiveBucket.Arn}/events/*"))) {
            return Target.ARCHIVE_OBJECTS;
        }
        if (resource.equals(Map.of("Fn::Sub", "${EventsTable.Arn}/index/" + EventTable.SAGA_INDEX))) {
            return Target.SAGA_INDEX;
        }
        return target(resource, statement);
    }

    private static final Set<String> NOT_OPERATIONS =
            Set.of("builder", "create", "close", "serviceName", "waiter", "utilities", "serviceClientConfiguration");

    @Test
    void metricsArePublishedToTheNamespaceTheRoleAllows() {
        Map<String, Object> container = container();
        assertThat(environment(container))
                .containsEntry("MANAGEMENT_CLOUDWATCH_METRICS_EXPORT_NAMESPACE", ref("MetricsNamespace"));
        assertThat(at(template, "Parameters", "MetricsNamespace", "Default")).isEqualTo("EventPersister");
    }

    @Test
    void queueAcceptsMessagesOnlyFromTheBusRule() {
        assertOnlyTheBusRuleSendsTo("QueuePolicy", "Queue");
        assertThat(targetArns()).contains(getAtt("Queue.Arn"));
    }

    @Test
    void queuesAreEncryptedAndRedriveToTheDeadLetterQueue() {
        PersisterProperties.Provisioning local = new Binder(new MapConfigurationPropertySource())
                .bindOrCreate("persister.provisioning", Bindable.of(PersisterProperties.Provisioning.class));
        Map<String, Object> queue = resource("Queue");
        for (String name : List.of("Queue", "DeadLetterQueue", "RuleDeadLetterQueue")) {
            assertThat(at(resource(name), "SqsManagedSseEnabled")).as(name).isEqualTo(true);
        }
        assertThat(at(queue, "RedrivePolicy", "deadLetterTargetArn")).isEqualTo(getAtt("DeadLetterQueue.Arn"));
        assertThat(at(queue, "RedrivePolicy", "maxReceiveCount")).isEqualTo(ref("MaxReceiveCount"));
        assertThat(at(queue, "VisibilityTimeout"))
                .as("as the local layout (config/QueueTimingTests derives both from the retry budget)")
                .isEqualTo((int) local.visibilityTimeout().toSeconds());
    }

    @Test
    void bothRuleTargetsRetryForADayThenKeepWhatTheyCannotDeliver() {
        List<Map<String, Object>> targets = maps(list(resource("BusRule"), "Targets"));
        assertThat(targets)
                .extracting(target -> target.get("Arn"))
                .containsExactlyInAnyOrder(getAtt("Queue.Arn"), getAtt("ArchiveStream.Arn"));
        for (Map<String, Object> target : targets) {
            assertThat(map(target, "RetryPolicy"))
                    .as("EventBridge's maxima: 24 hours, 185 attempts")
                    .isEqualTo(Map.of("MaximumEventAgeInSeconds", 86_400, "MaximumRetryAttempts", 185));
            assertThat(at(target, "DeadLetterConfig", "Arn")).isEqualTo(getAtt("RuleDeadLetterQueue.Arn"));
        }

        assertOnlyTheBusRuleSendsTo("RuleDeadLetterQueuePolicy", "RuleDeadLetterQueue");
    }

    @Test
    void alarmsWatchTheRulesDeadLettersAndTheArchive() {
        // the rule's own invocation alarms: EcsTemplateAlarmTests
        assertThat(alarmOn("RuleDeadLettersAlarm"))
                .containsExactly(
                        "AWS/SQS", "ApproximateNumberOfMessagesVisible", getAtt("RuleDeadLetterQueue.QueueName"));
        assertThat(alarmOn("ArchiveFreshnessAlarm"))
                .containsExactly("AWS/Firehose", "DeliveryToS3.DataFreshness", ref("ArchiveStream"));
        assertThat((int) resource("ArchiveFreshnessAlarm").get("Threshold"))
                .as("above the 900 s buffering interval")
                .isGreaterThan(900);
        assertThat(alarmOn("ArchiveThrottledAlarm"))
                .containsExactly("AWS/Firehose", "ThrottledRecords", ref("ArchiveStream"));
    }

    @Test
    void archiveIsGzippedJsonLinesUnderHourlyPartitions() {
        Map<String, Object> s3 = map(resource("ArchiveStream"), "ExtendedS3DestinationConfiguration");
        assertThat(map(s3, "BufferingHints")).isEqualTo(Map.of("SizeInMBs", 128, "IntervalInSeconds", 900));
        assertThat(s3.get("CompressionFormat")).isEqualTo("GZIP");
        assertThat(at(s3, "ProcessingConfiguration", "Enabled")).isEqualTo(true);
        assertThat(maps(list(s3, "ProcessingConfiguration", "Processors")))
                .as("one event a line")
                .containsExactly(Map.of("Type", "AppendDelimiterToRecord"));
        assertThat(s3.get("BucketARN")).isEqualTo(getAtt("ArchiveBucket.Arn"));
        String prefix = (String) s3.get("Prefix");
        assertThat(prefix).startsWith("events/");
        assertThat(partitions(prefix)).isEqualTo(Map.of("year", "yyyy", "month", "MM", "day", "dd", "hour", "HH"));
        String errors = (String) s3.get("ErrorOutputPrefix");
        assertThat(errors).startsWith("errors/!{firehose:error-output-type}/");
        assertThat(partitions(errors)).isEqualTo(partitions(prefix));
        assertThat(targetArns()).contains(getAtt("ArchiveStream.Arn"));

        Map<String, Object> bucket = resource("ArchiveBucket");
        assertThat(list(bucket, "BucketEncryption", "ServerSideEncryptionConfiguration"))
                .isNotEmpty();
        assertThat(map(bucket, "PublicAccessBlockConfiguration"))
                .isEqualTo(Map.of(
                        "BlockPublicAcls", true,
                        "BlockPublicPolicy", true,
                        "IgnorePublicAcls", true,
                        "RestrictPublicBuckets", true));
        assertThat(maps(list(bucket, "LifecycleConfiguration", "Rules")))
                .anySatisfy(rule -> assertThat(list(rule, "Transitions")).isNotEmpty());
    }

    @Test
    void glueTableProjectsThePartitionsWhereFirehoseWritesThem() {
        Map<String, Object> table = map(resource("ArchiveTable"), "TableInput");
        Map<String, Object> parameters = map(table, "Parameters");
        String prefix = (String) at(resource("ArchiveStream"), "ExtendedS3DestinationConfiguration", "Prefix");

        assertThat(maps(list(table, "PartitionKeys")))
                .extracting(key -> key.get("Name"))
                .containsExactlyElementsOf(partitions(prefix).keySet());
        assertThat(parameters).containsEntry("projection.enabled", "true").containsEntry("compressionType", "gzip");
        for (String partition : partitions(prefix).keySet()) {
            assertThat(parameters).containsEntry("projection." + partition + ".type", "integer");
        }
        assertThat(at(parameters, "storage.location.template", "Fn::Sub"))
                .as("the prefix, with Athena's ${partition} where Firehose has !{timestamp:...}")
                .isEqualTo("s3://${ArchiveBucket}/" + prefix.replaceAll("(\\w+)=!\\{timestamp:\\w+}", "$1=\\${!$1}"));
        assertThat(at(table, "StorageDescriptor", "SerdeInfo", "SerializationLibrary"))
                .isEqualTo("org.openx.data.jsonserde.JsonSerDe");
        assertThat(maps(list(table, "StorageDescriptor", "Columns")))
                .extracting(column -> column.get("Name"))
                .contains("id", "detail_type", "source", "event_time", "detail");
    }

    @Test
    void namedQueriesReadTheArchiveTableWithinItsPartitions() {
        String table = (String) at(resource("ArchiveTable"), "TableInput", "Name");
        for (String name : List.of("SagaEventsQuery", "EventsPerHourQuery")) {
            Map<String, Object> query = resource(name);
            assertThat(query.get("Database")).as(name).isEqualTo(ref("ArchiveDatabase"));
            assertThat(query.get("WorkGroup")).as(name).isEqualTo(ref("ArchiveWorkGroup"));
            assertThat((String) query.get("QueryString"))
                    .as(name)
                    .contains("FROM " + table + "\n")
                    .contains("WHERE year = ? AND month = ?");
        }
        assertThat((String) resource("SagaEventsQuery").get("QueryString"))
                .contains("json_extract_scalar(detail, '$.sagaId') = ?")
                .contains("ORDER BY event_time");
        assertThat((String) resource("EventsPerHourQuery").get("QueryString"))
                .contains("date_trunc('hour'")
                .contains("GROUP BY 1, 2");
        assertThat(at(resource("ArchiveWorkGroup"), "WorkGroupConfiguration", "ResultConfiguration", "OutputLocation"))
                .isEqualTo(Map.of("Fn::Sub", "s3://${ArchiveBucket}/athena-results/"));
    }

    @Test
    void tableKeysAndIndexMatchTheService() {
        CreateTableRequest expected = EventTable.createTableRequest("x");
        Map<String, Object> table = resource("EventsTable");

        assertThat(table.get("BillingMode")).isEqualTo(expected.billingModeAsString());
        assertThat(maps(list(table, "AttributeDefinitions")))
                .containsExactlyInAnyOrderElementsOf(expected.attributeDefinitions().stream()
                        .map(EcsTemplateTests::attribute)
                        .toList());
        assertThat(list(table, "KeySchema")).isEqualTo(keys(expected.keySchema()));
        // the retired saga index, kept only while a stack moves off it, is the next test's
        List<Map<String, Object>> indexes = maps(list(table, "GlobalSecondaryIndexes")).stream()
                .filter(index -> !index.containsKey("Fn::If"))
                .toList();
        assertThat(indexes).hasSameSizeAs(expected.globalSecondaryIndexes());
        for (GlobalSecondaryIndex index : expected.globalSecondaryIndexes()) {
            // the keys and projection as the service makes them; warm throughput is the stack's (a parameter)
            assertThat(indexes)
                    .anySatisfy(declared -> assertThat(withoutWarmThroughput(declared))
                            .isEqualTo(Map.of(
                                    "IndexName", index.indexName(),
                                    "KeySchema", keys(index.keySchema()),
                                    "Projection",
                                            Map.of(
                                                    "ProjectionType",
                                                    index.projection().projectionTypeAsString()))));
        }
        assertThat(at(table, "PointInTimeRecoverySpecification", "PointInTimeRecoveryEnabled"))
                .isEqualTo(true);
        assertThat(at(table, "SSESpecification", "SSEEnabled")).isEqualTo(true);
        assertThat(table.get("DeletionProtectionEnabled")).isEqualTo(true);
        assertThat(map(template, "Resources", "EventsTable")).containsEntry("DeletionPolicy", "Retain");
    }

    @Test
    void keepsTheRetiredSagaIndexOnlyForTheUpdateThatAddsTheKeysOnlyOne() {
        List<Map<String, Object>> conditional = maps(list(resource("EventsTable"), "GlobalSecondaryIndexes")).stream()
                .filter(index -> index.containsKey("Fn::If"))
                .toList();

        assertThat(conditional).singleElement().satisfies(index -> {
            List<?> choice = (List<?>) index.get("Fn::If");
            assertThat(choice.get(0)).isEqualTo("KeepsRetiredSagaIndex");
            @SuppressWarnings("unchecked")
            Map<String, Object> retired = (Map<String, Object>) choice.get(1);
            assertThat(retired)
                    .containsEntry("IndexName", "saga_id-timestamp-index")
                    .containsEntry("Projection", Map.of("ProjectionType", "ALL"));
            assertThat(choice.get(2)).isEqualTo(ref("AWS::NoValue"));
        });
        assertThat(at(template, "Conditions", "KeepsRetiredSagaIndex"))
                .isEqualTo(Map.of("Fn::Equals", List.of(ref("KeepRetiredSagaIndex"), "true")));
        assertThat(at(template, "Parameters", "KeepRetiredSagaIndex", "Default"))
                .isEqualTo("false");
        assertThat(EventTable.SAGA_INDEX).isNotEqualTo("saga_id-timestamp-index");
    }

    @Test
    void rulePatternMatchesEveryExampleAndFollowUps() throws Exception {
        String pattern = (String) at(template, "Parameters", "EventPattern", "Default");
        assertThat(at(resource("BusRule"), "EventPattern")).isEqualTo(ref("EventPattern"));
        Machine machine = new Machine();
        machine.addRule("bus-rule", pattern);

        List<String> events = new ArrayList<>();
        try (Stream<Path> examples = Files.list(RepositoryFiles.of("examples"))) {
            for (Path example : examples.filter(p -> p.toString().endsWith(".json"))
                    .sorted()
                    .toList()) {
                for (JsonNode entry : JSON.readTree(example.toFile())) {
                    events.add(envelope(
                            entry.get("Source").asText(),
                            entry.get("DetailType").asText(),
                            JSON.readTree(entry.get("Detail").asText())));
                }
            }
        }
        assertThat(events).hasSizeGreaterThanOrEqualTo(4);
        Map<String, Object> followUp = map(applicationYaml(), "persister", "follow-up");
        for (Map<String, Object> rule : maps(list(followUp, "rules"))) {
            ObjectNode detail = JSON.createObjectNode().put("id", "x").put("domain", "catalog");
            events.add(envelope((String) followUp.get("source"), (String) rule.get("emit"), detail));
        }
        assertThat(events).hasSizeGreaterThanOrEqualTo(6);
        for (String event : events) {
            assertThat(machine.rulesForJSONEvent(event)).as(event).containsExactly("bus-rule");
        }
        assertThat(JSON.readTree(pattern))
                .as("the same default as the local provisioning")
                .isEqualTo(JSON.readTree(new Binder(new MapConfigurationPropertySource())
                        .bindOrCreate("persister.provisioning", Bindable.of(PersisterProperties.Provisioning.class))
                        .rulePattern()));
    }

    @Test
    void taskStopsOnlyAfterTheServiceHasDrained() {
        Object configured = drainTimeSetting();
        Duration drain =
                configured == null ? Duration.ofSeconds(30) : DurationStyle.detectAndParse(configured.toString());
        int stopTimeout = (int) container().get("StopTimeout");
        assertThat(Duration.ofSeconds(stopTimeout)).isGreaterThan(drain);
        assertThat(stopTimeout).as("Fargate's maximum").isLessThanOrEqualTo(120);
    }

    @Test
    void runsTheSpringAotCodeWithTheProfileItWasBuiltFor() throws IOException {
        String pom = Files.readString(Path.of("pom.xml"));
        Matcher processAot = Pattern.compile("<id>process-aot</id>.*?<profiles>([^<]+)</profiles>", Pattern.DOTALL)
                .matcher(pom);
        assertThat(processAot.find())
                .as("pom.xml's process-aot execution names its profiles")
                .isTrue();

        assertThat(environment(container()))
                .containsEntry("SPRING_AOT_ENABLED", "true")
                .containsEntry("SPRING_PROFILES_ACTIVE", processAot.group(1));
    }

    @Test
    void taskRunsReadOnlyOnFargateArmWithATmpVolume() {
        Map<String, Object> task = resource("TaskDefinition");
        Map<String, Object> container = container();
        assertThat(list(task, "RequiresCompatibilities")).containsExactly("FARGATE");
        assertThat(at(task, "RuntimePlatform", "CpuArchitecture")).isEqualTo("ARM64");
        assertThat(container.get("ReadonlyRootFilesystem")).isEqualTo(true);
        assertThat(maps(list(container, "MountPoints")))
                .anySatisfy(mount -> assertThat(mount).containsEntry("ContainerPath", "/tmp"));
        String volume = (String) maps(list(container, "MountPoints")).getFirst().get("SourceVolume");
        assertThat(maps(list(task, "Volumes"))).anySatisfy(v -> assertThat(v).containsEntry("Name", volume));
        assertThat(at(container, "LogConfiguration", "LogDriver")).isEqualTo("awslogs");
        assertThat(environment(container)).containsEntry("PERSISTER_ENV", ref("Env"));
    }

    @Test
    void taskSizeAndHeapShareAreParametersWhoseDefaultsHoldTheMeasuredNativeMemory() {
        assertThat(resource("TaskDefinition"))
                .containsEntry("Cpu", ref("TaskCpu"))
                .containsEntry("Memory", ref("TaskMemory"));
        assertThat(environment(container()))
                .hasEntrySatisfying(
                        "JAVA_OPTS_SIZE",
                        value -> assertThat(at(value, "Fn::Sub"))
                                .asString()
                                .contains("-XX:MaxRAMPercentage=${HeapPercentage} -XX:+ExitOnOutOfMemoryError"));
        assertThat(container().get("Memory"))
                .as("a hard limit, which the JVM reads as its RAM")
                .isEqualTo(Map.of("Fn::FindInMap", List.of("ServiceMemoryByTaskMemory", ref("TaskMemory"), "Mib")));

        String taskMemory = (String) at(template, "Parameters", "TaskMemory", "Default");
        int heapPercentage = Integer.parseInt((String) at(template, "Parameters", "HeapPercentage", "Default"));
        double leftByTheHeapMib = serviceMemoryMib(taskMemory) * (100 - heapPercentage) / 100.0;
        assertThat(leftByTheHeapMib)
                .as("what a full heap leaves of the service container holds the native memory measured under load,"
                        + " with a margin")
                .isGreaterThanOrEqualTo(MEASURED_NATIVE_MEMORY_MIB * 1.2);
    }

    @Test
    void theServiceContainerHasTheTaskMemoryTheCollectorLeaves() {
        int collectorMib = (int) collector().get("Memory");
        assertThat(collector()).doesNotContainKey("MemoryReservation");
        List<Object> sizes = list(template, "Parameters", "TaskMemory", "AllowedValues");
        assertThat(map(template, "Mappings", "ServiceMemoryByTaskMemory").keySet())
                .as("one service share for every task size")
                .containsExactlyInAnyOrderElementsOf(strings(sizes));
        for (Object size : sizes) {
            assertThat(serviceMemoryMib((String) size) + collectorMib)
                    .as("the service's and the collector's hard limits fill a task of %s MiB", size)
                    .isEqualTo(Integer.parseInt((String) size));
        }
    }

    @Test
    void collectorSidecarSendsTheTracesToXRayWithoutHoldingTheServiceBack() {
        Map<String, Object> collector = collector();
        assertThat(collector.get("Image"))
                .isEqualTo(Map.of(
                        "Fn::Sub",
                        "${AWS::AccountId}.dkr.ecr.${AWS::Region}.${AWS::URLSuffix}/${PublicEcrCachePrefix}/"
                                + COLLECTOR_REPOSITORY + "@${CollectorImageDigest}"));
        assertThat(collector.get("Essential"))
                .as("losing traces never stops the task")
                .isEqualTo(false);
        assertThat(strings(list(collector, "Command"))).containsExactly("--config=/etc/ecs/ecs-xray.yaml");
        assertThat(strings(list(collector, "HealthCheck", "Command"))).containsExactly("CMD", "/healthcheck");
        assertThat(collector.get("ReadonlyRootFilesystem")).isEqualTo(true);
        assertThat(collector.get("User")).as("not root").isNotIn(null, "0", "root");
        assertThat(at(collector, "RestartPolicy", "Enabled")).isEqualTo(true);
        assertThat(at(collector, "LogConfiguration", "LogDriver")).isEqualTo("awslogs");
        assertThat(map(collector, "LogConfiguration", "Options"))
                .containsEntry("awslogs-group", ref("LogGroup"))
                .containsEntry("awslogs-region", ref("AWS::Region"))
                .containsEntry("awslogs-stream-prefix", collector.get("Name"));
        assertThat(maps(list(container(), "DependsOn")))
                .as("the service starts once the collector has started, healthy or not")
                .containsExactly(Map.of("ContainerName", collector.get("Name"), "Condition", "START"));
    }

    @Test
    void collectorImageIsPinnedByDigest() {
        Map<String, Object> parameter = map(template, "Parameters", "CollectorImageDigest");
        String pattern = (String) parameter.get("AllowedPattern");
        assertThat("sha256:" + "0123456789abcdef".repeat(4)).matches(pattern);
        assertThat("v0.48.0").doesNotMatch(pattern);
        assertThat("latest").doesNotMatch(pattern);
        assertThat("sha256:" + "0123456789abcdef".repeat(3)).doesNotMatch(pattern);
        assertThat("sha256:" + "0123456789ABCDEF".repeat(4)).doesNotMatch(pattern);
        assertThat(parameter)
                .as("read from the source at deployment, none vouched for here")
                .doesNotContainKey("Default");
    }

    @Test
    void collectorIsPulledThroughTheRepositoryStacksPublicEcrCache() {
        Map<String, Object> repositoryStack =
                CloudFormationYaml.read(RepositoryFiles.of("ecs/event-persister-repository.yml"));
        Map<String, Object> rule = map(repositoryStack, "Resources", "PublicEcrCache", "Properties");
        assertThat(rule)
                .containsEntry("UpstreamRegistryUrl", "public.ecr.aws")
                .containsEntry("EcrRepositoryPrefix", ref("PublicEcrCachePrefix"));
        assertThat(at(template, "Parameters", "PublicEcrCachePrefix", "Default"))
                .isEqualTo(at(repositoryStack, "Parameters", "PublicEcrCachePrefix", "Default"));
    }

    @Test
    void serviceExportsItsSampledSpansToTheCollectorSidecar() {
        Map<String, Object> ecs = ecsProfile();
        String endpoint = (String) at(ecs, "management", "opentelemetry", "tracing", "export", "otlp", "endpoint");
        Matcher placeholder = Pattern.compile("\\$\\{([A-Z_]+):(.+)}").matcher(endpoint);
        assertThat(placeholder.matches()).as(endpoint).isTrue();
        assertThat(placeholder.group(2))
                .as("the sidecar's OTLP/HTTP receiver, in the task's shared network namespace")
                .isEqualTo("http://localhost:4318/v1/traces");
        assertThat(environment(container())).doesNotContainKey(placeholder.group(1));

        String probability = String.valueOf(at(ecs, "management", "tracing", "sampling", "probability"));
        Matcher ratio = Pattern.compile("\\$\\{([A-Z_]+):0(\\.0)?}").matcher(probability);
        assertThat(ratio.matches()).as(probability).isTrue();
        assertThat(environment(container())).containsEntry(ratio.group(1), ref("TraceSamplingRatio"));

        Map<String, Object> parameter = map(template, "Parameters", "TraceSamplingRatio");
        assertThat(parameter)
                .containsEntry("Type", "Number")
                .containsEntry("MinValue", 0)
                .containsEntry("MaxValue", 1);
        assertThat(((Number) parameter.get("Default")).doubleValue()).isBetween(0.0, 1.0);
    }

    @Test
    void taskRoleLetsTheCollectorWriteToXRayAndNothingElse() {
        List<Map<String, Object>> statements = policyStatements(resource("TaskRole")).stream()
                .filter(statement -> COLLECTOR_STATEMENT.equals(statement.get("Sid")))
                .toList();
        assertThat(statements).singleElement().satisfies(statement -> {
            assertThat(statement)
                    .as("X-Ray has no resource-level permissions for these")
                    .containsEntry("Effect", "Allow")
                    .containsEntry("Resource", "*")
                    .doesNotContainKeys("Condition", "NotAction", "NotResource");
            assertThat(strings(list(statement, "Action")))
                    .as("the awsxray exporter's writes; no sampling rules, since the service samples")
                    .containsExactlyInAnyOrder("xray:PutTraceSegments", "xray:PutTelemetryRecords");
        });
    }

    @Test
    void runsTheImageFromItsRepositoryByDigest() {
        assertThat(container().get("Image"))
                .isEqualTo(Map.of(
                        "Fn::Sub",
                        "${AWS::AccountId}.dkr.ecr.${AWS::Region}.${AWS::URLSuffix}/${RepositoryName}@${ImageDigest}"));
        String pattern = (String) at(template, "Parameters", "ImageDigest", "AllowedPattern");
        assertThat("sha256:" + "0123456789abcdef".repeat(4)).matches(pattern);
        assertThat("0.1.0").doesNotMatch(pattern);
        assertThat(map(template, "Parameters", "ImageDigest")).doesNotContainKey("Default");
    }

    @Test
    void executionRolePullsOnlyTheServiceAndTheCachedCollectorAndWritesOnlyTheServicesLogGroup() {
        Map<String, Object> repository = Map.of(
                "Fn::Sub", "arn:${AWS::Partition}:ecr:${AWS::Region}:${AWS::AccountId}:repository/${RepositoryName}");
        Map<String, Object> collectorCache = Map.of(
                "Fn::Sub",
                "arn:${AWS::Partition}:ecr:${AWS::Region}:${AWS::AccountId}:repository/${PublicEcrCachePrefix}/"
                        + COLLECTOR_REPOSITORY);
        Map<String, Object> logStreams = Map.of(
                "Fn::Sub",
                "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:${LogGroup}:log-stream:*");
        Map<Object, Set<String>> granted = new HashMap<>();
        for (Map<String, Object> statement : policyStatements(resource("ExecutionRole"))) {
            assertThat(statement.get("Effect")).isEqualTo("Allow");
            for (Object resource : list(statement, "Resource")) {
                granted.computeIfAbsent(resource, key -> new TreeSet<>()).addAll(strings(list(statement, "Action")));
            }
        }
        assertThat(granted)
                .as("\"*\" only for GetAuthorizationToken, which has no resource type")
                .isEqualTo(Map.of(
                        "*",
                        Set.of("ecr:GetAuthorizationToken"),
                        repository,
                        Set.of("ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"),
                        collectorCache,
                        Set.of(
                                "ecr:BatchCheckLayerAvailability",
                                "ecr:BatchGetImage",
                                "ecr:GetDownloadUrlForLayer",
                                "ecr:BatchImportUpstreamImage",
                                "ecr:CreateRepository"),
                        logStreams,
                        Set.of("logs:CreateLogStream", "logs:PutLogEvents")));
        assertThat(at(container(), "LogConfiguration", "Options", "awslogs-group"))
                .isEqualTo(ref("LogGroup"));
    }

    @Test
    void healthCheckIsTheImagesScriptOnLiveness() {
        List<String> command = strings(list(container(), "HealthCheck", "Command"));
        assertThat(command.getFirst()).isEqualTo("CMD");
        assertThat(command.subList(1, command.size()))
                .as("the Dockerfile's HEALTHCHECK on liveness, which does not depend on AWS")
                .isEqualTo(DockerfileTests.healthCheckCommand())
                .last()
                .isEqualTo("/actuator/health/liveness");
    }

    @Test
    void failedDeploymentsRollBack() {
        Map<String, Object> deployment = map(resource("Service"), "DeploymentConfiguration");
        assertThat(map(deployment, "DeploymentCircuitBreaker")).isEqualTo(Map.of("Enable", true, "Rollback", true));
        assertThat(map(deployment, "Alarms")).containsEntry("Enable", true).containsEntry("Rollback", true);
        assertThat(list(deployment, "Alarms", "AlarmNames"))
                .containsExactlyInAnyOrder(ref("FailedEventsAlarm"), ref("FailedFollowUpsAlarm"));
    }

    @Test
    void autoscalingOwnsTheCountOfAtLeastTwoTasksInTwoZonesOfTheVpc() {
        Map<String, Object> service = resource("Service");
        assertThat(service).doesNotContainKey("DesiredCount");
        assertThat(list(service, "NetworkConfiguration", "AwsvpcConfiguration", "Subnets"))
                .containsExactly(ref("SubnetA"), ref("SubnetB"));
        assertThat(at(template, "Parameters", "MinTasks", "Default")).isEqualTo(2);
        assertThat(at(template, "Parameters", "MinTasks", "MinValue")).isEqualTo(2);
        assertThat(resource("ScalableTarget").get("MinCapacity")).isEqualTo(ref("MinTasks"));
        for (String subnet : List.of("SubnetA", "SubnetB")) {
            assertThat(at(template, "Parameters", subnet, "Type")).isEqualTo("AWS::EC2::Subnet::Id");
        }
        Map<String, Object> subnetZones = Map.of("Fn::ValueOfAll", List.of("AWS::EC2::Subnet::Id", "AvailabilityZone"));
        Map<String, Object> zoneOfA = Map.of("Fn::ValueOf", List.of("SubnetA", "AvailabilityZone"));
        Map<String, Object> subnetVpcs = Map.of("Fn::ValueOfAll", List.of("AWS::EC2::Subnet::Id", "VpcId"));
        assertThat(maps(list(template, "Rules", "TasksInTwoAvailabilityZonesOfTheVpc", "Assertions")))
                .extracting(assertion -> assertion.get("Assert"))
                .containsExactlyInAnyOrder(
                        Map.of("Fn::Not", List.of(Map.of("Fn::EachMemberEquals", List.of(subnetZones, zoneOfA)))),
                        Map.of("Fn::EachMemberEquals", List.of(subnetVpcs, ref("VpcId"))));
    }

    @Test
    void scalesOnBacklogPerTask() {
        Map<String, Object> target = resource("ScalableTarget");
        assertThat(target.get("MinCapacity")).isEqualTo(ref("MinTasks"));
        assertThat(target.get("MaxCapacity")).isEqualTo(ref("MaxTasks"));
        Map<String, Object> policy = map(resource("BacklogPerTaskScaling"), "TargetTrackingScalingPolicyConfiguration");
        Map<String, Map<String, Object>> metrics =
                maps(list(policy, "CustomizedMetricSpecification", "Metrics")).stream()
                        .collect(Collectors.toMap(metric -> (String) metric.get("Id"), metric -> metric));
        Map<String, Object> returned = metrics.values().stream()
                .filter(metric -> Boolean.TRUE.equals(metric.get("ReturnData")))
                .collect(Collectors.collectingAndThen(Collectors.toList(), List::getFirst));
        Matcher division =
                Pattern.compile("\\s*(\\w+)\\s*/\\s*(\\w+)\\s*").matcher((String) returned.get("Expression"));
        assertThat(division.matches()).as("visible / running tasks").isTrue();
        Map<String, Object> visible = map(metrics.get(division.group(1)), "MetricStat", "Metric");
        Map<String, Object> tasks = map(metrics.get(division.group(2)), "MetricStat", "Metric");
        assertThat(visible.get("MetricName")).isEqualTo("ApproximateNumberOfMessagesVisible");
        assertThat(maps(list(visible, "Dimensions")).getFirst()).containsEntry("Value", getAtt("Queue.QueueName"));
        assertThat(tasks.get("MetricName")).isEqualTo("RunningTaskCount");
        assertThat(policy.get("TargetValue")).isEqualTo(ref("BacklogPerTaskTarget"));
    }

    @Test
    void alarmsWatchDeadLettersOldestMessageAndFailedFollowUps() {
        Map<String, Object> deadLetters = resource("DeadLetterQueueNotEmptyAlarm");
        assertThat(deadLetters.get("MetricName")).isEqualTo("ApproximateNumberOfMessagesVisible");
        assertThat(maps(list(deadLetters, "Dimensions")).getFirst())
                .containsEntry("Value", getAtt("DeadLetterQueue.QueueName"));
        Map<String, Object> age = resource("OldestMessageAgeAlarm");
        assertThat(age.get("MetricName")).isEqualTo("ApproximateAgeOfOldestMessage");
        assertThat(maps(list(age, "Dimensions")).getFirst()).containsEntry("Value", getAtt("Queue.QueueName"));

        // failed follow-ups as a rate over the service's own series: EcsTemplateAlarmTests
    }

    @Test
    void alarmsWatchTheOutboxAndThePausedListenerOnTheMetricsTheServiceRegisters() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        PersisterMetrics metrics = new PersisterMetrics(registry);
        String oldest = newMeter(registry, () -> metrics.pendingOldest(() -> Duration.ZERO));
        String paused = newMeter(registry, () -> metrics.listenerPaused(() -> false));
        metrics.busRejectedFollowUp("ValidatableEvent");
        Meter rejected = registry.getMeters().stream()
                .filter(meter -> "ValidatableEvent".equals(meter.getId().getTag("type")))
                .filter(meter -> "rejected".equals(meter.getId().getTag("outcome")))
                .findFirst()
                .orElseThrow();

        // Micrometer's CloudWatch registry publishes a gauge as <name>.value, a counter as <name>.count
        assertThat(insightsQuery("OldestPendingFollowUpAlarm"))
                .isEqualTo("SELECT MAX(\"" + oldest + ".value\") FROM \"${MetricsNamespace}\" WHERE env = '${Env}'");
        assertThat(insightsQuery("RejectedFollowUpsAlarm"))
                .isEqualTo("SELECT SUM(\"" + rejected.getId().getName() + ".count\") FROM \"${MetricsNamespace}\""
                        + " WHERE env = '${Env}' AND outcome = 'rejected'");
        assertThat(insightsQuery("ListenerPausedAlarm"))
                .isEqualTo("SELECT MAX(\"" + paused + ".value\") FROM \"${MetricsNamespace}\" WHERE env = '${Env}'");

        Map<String, Object> age = resource("OldestPendingFollowUpAlarm");
        assertThat(age.get("Threshold")).isEqualTo(ref("OldestPendingFollowUpAlarmSeconds"));
        assertThat(age.get("ComparisonOperator")).isEqualTo("GreaterThanThreshold");
        assertThat(at(template, "Parameters", "OldestPendingFollowUpAlarmSeconds", "Default"))
                .isEqualTo(600);
        PersisterProperties.FollowUps followUp = new Binder(new MapConfigurationPropertySource())
                .bindOrCreate("persister.follow-up", Bindable.of(PersisterProperties.FollowUps.class));
        assertThat(Duration.ofSeconds(
                        (int) at(template, "Parameters", "OldestPendingFollowUpAlarmSeconds", "MinValue")))
                .as("no follow-up the sweeper has not had its turn at fires it: above the grace and one interval")
                .isGreaterThan(followUp.sweepGrace().plus(followUp.sweepInterval()));

        Map<String, Object> rejections = resource("RejectedFollowUpsAlarm");
        assertThat(rejections)
                .containsEntry("Threshold", 0)
                .containsEntry("ComparisonOperator", "GreaterThanThreshold");
        assertThat(maps(list(rejections, "Metrics")).getFirst()).containsEntry("Period", 300);

        Map<String, Object> pause = resource("ListenerPausedAlarm");
        int period = (int) maps(list(pause, "Metrics")).getFirst().get("Period");
        assertThat(pause)
                .as("paused in every minute of five, not a probe's blink")
                .containsEntry("Threshold", 1)
                .containsEntry("ComparisonOperator", "GreaterThanOrEqualToThreshold")
                .containsEntry("DatapointsToAlarm", pause.get("EvaluationPeriods"));
        assertThat(period * (int) pause.get("EvaluationPeriods")).isGreaterThanOrEqualTo(300);
    }

    /** The name of the one meter that {@code registering} adds to the registry. */
    private static String newMeter(SimpleMeterRegistry registry, Runnable registering) {
        Set<String> before = registry.getMeters().stream()
                .map(meter -> meter.getId().getName())
                .collect(Collectors.toSet());
        registering.run();
        List<String> added = registry.getMeters().stream()
                .map(meter -> meter.getId().getName())
                .filter(name -> !before.contains(name))
                .toList();
        assertThat(added).hasSize(1);
        return added.getFirst();
    }

    /** The Metrics Insights query of a one-query alarm. */
    private String insightsQuery(String alarm) {
        return (String) at(maps(list(resource(alarm), "Metrics")).getFirst(), "Expression", "Fn::Sub");
    }

    @Test
    void everyAlarmWatchesOnlyThisEnvironment() {
        // which topic each alarm goes to: EcsTemplateAlarmTests
        Set<String> stackResources = map(template, "Resources").keySet();
        Map<String, Map<String, Object>> alarms = resourcesOfType("AWS::CloudWatch::Alarm");
        assertThat(alarms).hasSizeGreaterThanOrEqualTo(15);
        alarms.forEach((name, alarm) -> {
            List<Map<String, Object>> dimensions = new ArrayList<>();
            List<String> queries = new ArrayList<>();
            if (alarm.containsKey("Dimensions")) {
                dimensions.addAll(maps(list(alarm, "Dimensions")));
            }
            if (alarm.containsKey("Metrics")) {
                for (Map<String, Object> metric : maps(list(alarm, "Metrics"))) {
                    if (metric.containsKey("MetricStat")
                            && ref("MetricsNamespace").equals(at(metric, "MetricStat", "Metric", "Namespace"))) {
                        // the service's own metrics: one environment's by the env dimension
                        assertThat(maps(list(metric, "MetricStat", "Metric", "Dimensions")))
                                .as(name)
                                .contains(Map.of("Name", "env", "Value", ref("Env")));
                        queries.add("WHERE env = '${Env}'");
                    } else if (metric.containsKey("MetricStat")) {
                        dimensions.addAll(maps(list(metric, "MetricStat", "Metric", "Dimensions")));
                    } else if (metric.get("Expression") instanceof Map<?, ?> sub) {
                        queries.add((String) sub.get("Fn::Sub"));
                    }
                }
            }
            assertThat(dimensions.size() + queries.size()).as(name).isPositive();
            dimensions.forEach(dimension -> assertThat(dimension.get("Value"))
                    .as("%s: a resource of this stack, named for its env", name)
                    .satisfies(value -> assertThat(namesAResourceOrTheEnv(value, stackResources))
                            .isTrue()));
            queries.forEach(query -> assertThat(query).as(name).contains("WHERE env = '${Env}'"));
        });
    }

    @Test
    void metricsInsightsQueriesNameMetricsAndDimensionsTheServicePublishes() {
        Map<String, Set<String>> published = publishedMetrics();
        List<String> queries = new ArrayList<>();
        resourcesOfType("AWS::CloudWatch::Alarm").values().stream()
                .filter(alarm -> alarm.containsKey("Metrics"))
                .flatMap(alarm -> maps(list(alarm, "Metrics")).stream())
                .filter(metric -> metric.get("Expression") instanceof Map<?, ?>)
                .forEach(metric -> queries.add((String) at(metric, "Expression", "Fn::Sub")));
        dashboardWidgets().forEach(widget -> collectExpressions(widget, queries));
        assertThat(queries).hasSizeGreaterThanOrEqualTo(5);

        Pattern select = Pattern.compile("SELECT \\w+\\(\"([^\"]+)\"\\) FROM \"\\$\\{MetricsNamespace}\"(.*)");
        Pattern dimension = Pattern.compile("(?:WHERE|AND|GROUP BY) (\\w+)");
        for (String query : queries) {
            Matcher parts = select.matcher(query);
            assertThat(parts.matches()).as(query).isTrue();
            assertThat(published).as(query).containsKey(parts.group(1));
            Matcher names = dimension.matcher(parts.group(2));
            while (names.find()) {
                assertThat(published.get(parts.group(1))).as(query).contains(names.group(1));
            }
        }
    }

    @Test
    void dashboardShowsWhatAnOperatorOpensFirst() {
        List<Map<String, Object>> widgets = dashboardWidgets();
        Map<String, Map<String, Object>> byTitle = widgets.stream()
                .collect(Collectors.toMap(widget -> (String) at(widget, "properties", "title"), widget -> widget));
        assertThat(byTitle.keySet())
                .anySatisfy(title -> assertThat(title).startsWith("Events by outcome"))
                .anySatisfy(title -> assertThat(title).startsWith("Lag p99"))
                .anySatisfy(title -> assertThat(title).startsWith("Backlog"))
                .anySatisfy(title -> assertThat(title).startsWith("Dead-letter queues"))
                .anySatisfy(title -> assertThat(title).startsWith("Follow-ups by outcome"))
                .anySatisfy(title -> assertThat(title).startsWith("Running tasks"))
                .anySatisfy(title -> assertThat(title).startsWith("Oldest pending follow-up"))
                .anySatisfy(title -> assertThat(title).startsWith("Listeners paused"));
        String body = (String) at(resource("Dashboard"), "DashboardBody", "Fn::Sub");
        assertThat(body)
                .contains("GROUP BY outcome", "phi = '0.99'")
                .contains("\"ApproximateNumberOfMessagesVisible\", \"QueueName\", \"${Queue.QueueName}\"")
                .contains("\"ApproximateAgeOfOldestMessage\", \"QueueName\", \"${Queue.QueueName}\"")
                .contains("${DeadLetterQueue.QueueName}", "${RuleDeadLetterQueue.QueueName}")
                .contains(
                        "\"RunningTaskCount\", \"ClusterName\", \"${Cluster}\", \"ServiceName\", \"${Service.Name}\"");
        for (String alarm : resourcesOfType("AWS::CloudWatch::Alarm").keySet()) {
            assertThat(body).as("the alarm widget").contains("${" + alarm + ".Arn}");
        }
    }

    @Test
    void everyTaggableResourceCarriesProjectEnvAndOwner() {
        List<Map<String, Object>> tags = List.of(
                Map.of("Key", "Project", "Value", ref("Project")),
                Map.of("Key", "Env", "Value", ref("Env")),
                Map.of("Key", "Owner", "Value", ref("Owner")));
        Map<String, Object> resources = map(template, "Resources");
        resources.forEach((name, resource) -> {
            String type = (String) at(resource, "Type");
            if (!UNTAGGABLE.contains(type)) {
                assertThat(maps(list(resource, "Properties", "Tags")))
                        .as("%s (%s)", name, type)
                        .containsAll(tags);
            }
        });
        assertThat(resources.values())
                .extracting(resource -> (String) at(resource, "Type"))
                .contains("AWS::SQS::Queue", "AWS::ECS::Service", "AWS::CloudWatch::Alarm", "AWS::IAM::Role");
        assertThat(resource("Service")).containsEntry("PropagateTags", "SERVICE");
    }

    @Test
    void everyReferenceResolves() {
        Set<String> names = new HashSet<>(map(template, "Parameters").keySet());
        names.addAll(map(template, "Resources").keySet());
        names.addAll(Set.of(
                "AWS::Region", "AWS::AccountId", "AWS::Partition", "AWS::NoValue", "AWS::StackName", "AWS::URLSuffix"));
        Set<String> conditions = map(template, "Conditions").keySet();
        List<String> unresolved = new ArrayList<>();
        collectReferences(template.get("Resources"), names, conditions, unresolved);
        collectReferences(template.get("Outputs"), names, conditions, unresolved);
        collectReferences(template.get("Conditions"), names, conditions, unresolved);
        assertThat(unresolved).isEmpty();
    }

    // ---------------------------------------------------------------- helpers

    private static void collectReferences(Object node, Set<String> names, Set<String> conditions, List<String> out) {
        if (node instanceof Map<?, ?> map) {
            map.forEach((key, value) -> {
                switch (String.valueOf(key)) {
                    case "Ref" -> check(value, names, out);
                    case "Fn::GetAtt" -> check(String.valueOf(value).split("\\.")[0], names, out);
                    case "Fn::Sub" -> {
                        // the list form: the text, then its own variables
                        String text = String.valueOf(value instanceof List<?> list ? list.getFirst() : value);
                        Set<String> local = value instanceof List<?> list
                                ? ((Map<?, ?>) list.get(1))
                                        .keySet().stream().map(String::valueOf).collect(Collectors.toSet())
                                : Set.of();
                        Matcher variable = Pattern.compile("\\$\\{([^}!]+)}").matcher(text);
                        while (variable.find()) {
                            if (!local.contains(variable.group(1))) {
                                check(variable.group(1).split("\\.")[0], names, out);
                            }
                        }
                    }
                    case "Fn::If" -> checkCondition(((List<?>) value).getFirst(), conditions, out);
                    // A resource's Condition or !Condition names one; an IAM statement's Condition is a map, a
                    // container dependency's (beside its ContainerName) is START, HEALTHY, ...
                    case "Condition" -> {
                        if (value instanceof String condition && !map.containsKey("ContainerName")) {
                            checkCondition(condition, conditions, out);
                        }
                    }
                    default -> {}
                }
                collectReferences(value, names, conditions, out);
            });
        } else if (node instanceof List<?> list) {
            list.forEach(item -> collectReferences(item, names, conditions, out));
        }
    }

    private static void checkCondition(Object condition, Set<String> conditions, List<String> out) {
        if (!conditions.contains(String.valueOf(condition))) {
            out.add("condition " + condition);
        }
    }

    private static void check(Object name, Set<String> names, List<String> out) {
        if (!names.contains(String.valueOf(name))) {
            out.add(String.valueOf(name));
        }
    }

    /** The queue policy lets EventBridge send to the queue from the bus rule and from nothing else. */
    private void assertOnlyTheBusRuleSendsTo(String policy, String queue) {
        assertThat(list(resource(policy), "Queues")).containsExactly(ref(queue));
        assertThat(maps(list(resource(policy), "PolicyDocument", "Statement")))
                .singleElement()
                .satisfies(statement -> {
                    assertThat(statement.get("Effect")).isEqualTo("Allow");
                    assertThat(at(statement, "Principal", "Service")).isEqualTo("events.amazonaws.com");
                    assertThat(statement.get("Action")).isEqualTo("sqs:SendMessage");
                    assertThat(statement.get("Resource")).isEqualTo(getAtt(queue + ".Arn"));
                    assertThat(map(statement, "Condition"))
                            .isEqualTo(Map.of("ArnEquals", Map.of("aws:SourceArn", getAtt("BusRule.Arn"))));
                });
    }

    /** Partition name -> timestamp format, from a Firehose prefix such as {@code events/year=!{timestamp:yyyy}/}. */
    private static Map<String, String> partitions(String prefix) {
        Map<String, String> partitions = new LinkedHashMap<>();
        Matcher partition = Pattern.compile("(\\w+)=!\\{timestamp:(\\w+)}/").matcher(prefix);
        while (partition.find()) {
            partitions.put(partition.group(1), partition.group(2));
        }
        return partitions;
    }

    /** A single-metric alarm's namespace, metric name and first dimension value. */
    private List<Object> alarmOn(String alarm) {
        Map<String, Object> properties = resource(alarm);
        return List.of(
                properties.get("Namespace"),
                properties.get("MetricName"),
                maps(list(properties, "Dimensions")).getFirst().get("Value"));
    }

    private Map<String, Map<String, Object>> resourcesOfType(String type) {
        Map<String, Map<String, Object>> found = new TreeMap<>();
        map(template, "Resources").forEach((name, resource) -> {
            if (type.equals(at(resource, "Type"))) {
                found.put(name, map(resource, "Properties"));
            }
        });
        return found;
    }

    /** A dimension value that names one of this stack's resources (each named for its env), or a name with the env. */
    private static boolean namesAResourceOrTheEnv(Object value, Set<String> resources) {
        return switch (value) {
            case Map<?, ?> intrinsic when intrinsic.containsKey("Ref") -> resources.contains(intrinsic.get("Ref"));
            case Map<?, ?> intrinsic
            when intrinsic.containsKey("Fn::GetAtt") ->
                resources.contains(String.valueOf(intrinsic.get("Fn::GetAtt")).split("\\.")[0]);
            case Map<?, ?> intrinsic
            when intrinsic.containsKey("Fn::Sub") ->
                String.valueOf(intrinsic.get("Fn::Sub")).contains("${Env}");
            case Map<?, ?> intrinsic
            when intrinsic.containsKey("Fn::If") ->
                ((List<?>) intrinsic.get("Fn::If"))
                        .subList(1, 3).stream().allMatch(branch -> namesAResourceOrTheEnv(branch, resources));
            default -> false;
        };
    }

    /** The dashboard's widgets; its !Sub variables stand only inside JSON strings, so the body parses as it is. */
    private List<Map<String, Object>> dashboardWidgets() {
        String body = (String) at(resource("Dashboard"), "DashboardBody", "Fn::Sub");
        try {
            Map<String, Object> dashboard = JSON.readValue(body, new TypeReference<>() {});
            return maps(list(dashboard, "widgets"));
        } catch (IOException error) {
            throw new AssertionError("The dashboard body is not JSON", error);
        }
    }

    private static void collectExpressions(Object node, List<String> out) {
        if (node instanceof Map<?, ?> map) {
            map.forEach((key, value) -> {
                if ("expression".equals(key) && value instanceof String expression) {
                    out.add(expression);
                }
                collectExpressions(value, out);
            });
        } else if (node instanceof List<?> list) {
            list.forEach(item -> collectExpressions(item, out));
        }
    }

    /**
     * Metric name -> dimension names, as Micrometer's CloudWatch registry publishes the service's meters (with the
     * common tags of application.yml): what a Metrics Insights query over the namespace can name.
     */
    private static Map<String, Set<String>> publishedMetrics() {
        Map<String, String> commonTags = new TreeMap<>();
        map(applicationYaml(), "management", "metrics", "tags")
                .forEach((key, value) -> commonTags.put(key, String.valueOf(value)));
        List<MetricDatum> data = CloudWatchPublication.of(commonTags, metrics -> {
            metrics.stored("2026-11-27T10:00:00.000Z", Instant.parse("2026-11-27T10:00:01Z"));
            metrics.processed(metrics.startProcessing());
            FollowUp followUp = new FollowUp("id", "ValidatableEvent", "s", "{}", "cause", "rule", null);
            metrics.followUpListener().emitted(followUp);
            metrics.followUpListener().failed(followUp);
            metrics.busRejectedFollowUp(followUp.type());
            metrics.sentAgain(followUp.type());
            metrics.pendingOldest(() -> Duration.ofSeconds(1));
            metrics.listenerPaused(() -> true);
        });

        Map<String, Set<String>> published = new TreeMap<>();
        data.forEach(datum -> published
                .computeIfAbsent(datum.metricName(), key -> new TreeSet<>())
                .addAll(datum.dimensions().stream().map(Dimension::name).toList()));
        assertThat(published).as("the registry published").isNotEmpty();
        return published;
    }

    private Map<String, Object> resource(String name) {
        return map(template, "Resources", name, "Properties");
    }

    /** The service's container: the task's first, beside the collector sidecar. */
    private Map<String, Object> container() {
        List<Map<String, Object>> containers = maps(list(resource("TaskDefinition"), "ContainerDefinitions"));
        assertThat(containers).extracting(c -> c.get("Name")).containsExactly("event-persister", "otel-collector");
        return containers.getFirst();
    }

    private Map<String, Object> collector() {
        return maps(list(resource("TaskDefinition"), "ContainerDefinitions")).get(1);
    }

    private int serviceMemoryMib(String taskMemory) {
        return (int) at(template, "Mappings", "ServiceMemoryByTaskMemory", taskMemory, "Mib");
    }

    /** The ecs profile's document of application.yml. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> ecsProfile() {
        String yaml;
        try {
            yaml = Files.readString(Path.of("src/main/resources/application.yml"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Map<String, Object>> profiles = new ArrayList<>();
        for (Object document : new Yaml().loadAll(yaml)) {
            Object profile = ((Map<String, Object>) document).getOrDefault("spring", Map.of());
            for (String key : List.of("config", "activate", "on-profile")) {
                profile = profile instanceof Map<?, ?> node ? node.get(key) : null;
            }
            if ("ecs".equals(profile)) {
                profiles.add((Map<String, Object>) document);
            }
        }
        assertThat(profiles).as("the ecs profile's document").hasSize(1);
        return profiles.getFirst();
    }

    private static Map<String, Object> environment(Map<String, Object> container) {
        return maps(list(container, "Environment")).stream()
                .collect(
                        Collectors.toMap(variable -> (String) variable.get("Name"), variable -> variable.get("Value")));
    }

    private List<Object> targetArns() {
        return maps(list(resource("BusRule"), "Targets")).stream()
                .map(target -> target.get("Arn"))
                .toList();
    }

    /** Which of the service's resources a task-role grant applies to; anything else fails the test. */
    private static Target target(Object resource, Map<String, Object> statement) {
        if (resource.equals(getAtt("Queue.Arn"))) {
            return Target.QUEUE;
        }
        if (resource.equals(getAtt("DeadLetterQueue.Arn"))) {
            return Target.DEAD_LETTER_QUEUE;
        }
        if (resource.equals(getAtt("EventsTable.Arn"))) {
            return Target.TABLE;
        }
        if (resource.equals(Map.of("Fn::Sub", "${EventsTable.Arn}/index/" + EventTable.OUTBOX_INDEX))) {
            return Target.OUTBOX_INDEX;
        }
        if (resource.equals(Map.of(
                "Fn::Sub",
                "arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:event-bus/kahula-events-${Env}"))) {
            return Target.EVENT_BUS;
        }
        if ("*".equals(resource)) {
            assertThat(statement.get("Condition"))
                    .as("a \"*\" resource needs the namespace condition")
                    .isEqualTo(Map.of("StringEquals", Map.of("cloudwatch:namespace", ref("MetricsNamespace"))));
            return Target.METRICS_NAMESPACE;
        }
        return fail("The task role grants on an unexpected resource: %s", resource);
    }

    private static List<Map<String, Object>> policyStatements(Map<String, Object> role) {
        assertThat(role).doesNotContainKey("ManagedPolicyArns");
        List<Map<String, Object>> statements = new ArrayList<>();
        for (Map<String, Object> policy : maps(list(role, "Policies"))) {
            statements.addAll(maps(list(policy, "PolicyDocument", "Statement")));
        }
        return statements;
    }

    private static Map<String, Object> applicationYaml() {
        return CloudFormationYaml.read(Path.of("src/main/resources/application.yml"));
    }

    /** spring.lifecycle.timeout-per-shutdown-phase in application.yml's first document, if set. */
    private static Object drainTimeSetting() {
        Object spring = applicationYaml().get("spring");
        if (spring instanceof Map<?, ?> map && map.get("lifecycle") instanceof Map<?, ?> lifecycle) {
            return lifecycle.get("timeout-per-shutdown-phase");
        }
        return null;
    }

    private static String envelope(String source, String detailType, JsonNode detail) {
        ObjectNode envelope = JSON.createObjectNode()
                .put("version", "0")
                .put("id", "6a7e8feb-b491-4cf7-a9f1-bf3703467718")
                .put("detail-type", detailType)
                .put("source", source)
                .put("account", "111122223333")
                .put("time", "2026-11-27T10:00:00Z")
                .put("region", "eu-west-1");
        envelope.putArray("resources");
        envelope.set("detail", detail);
        return envelope.toString();
    }

    private static Map<String, Object> withoutWarmThroughput(Map<String, Object> index) {
        Map<String, Object> rest = new LinkedHashMap<>(index);
        rest.remove("WarmThroughput");
        return rest;
    }

    private static Map<String, Object> attribute(AttributeDefinition definition) {
        return Map.of("AttributeName", definition.attributeName(), "AttributeType", definition.attributeTypeAsString());
    }

    private static List<Map<String, Object>> keys(List<KeySchemaElement> keys) {
        return keys.stream()
                .map(key ->
                        Map.<String, Object>of("AttributeName", key.attributeName(), "KeyType", key.keyTypeAsString()))
                .toList();
    }

    private static Map<String, Object> ref(String name) {
        return Map.of("Ref", name);
    }

    private static Map<String, Object> getAtt(String attribute) {
        return Map.of("Fn::GetAtt", attribute);
    }

    private static List<String> strings(List<Object> values) {
        return values.stream().map(String::valueOf).toList();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> maps(List<Object> values) {
        return values.stream().map(value -> (Map<String, Object>) value).toList();
    }
}
