package com.kahula.eventpersister.deployment;

import static com.kahula.eventpersister.support.CloudFormationYaml.at;
import static com.kahula.eventpersister.support.CloudFormationYaml.list;
import static com.kahula.eventpersister.support.CloudFormationYaml.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

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
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.event.ruler.Machine;

/** Holds ecs/event-persister.yml to what the service does: its calls, its table, its events, its shutdown. */
class EcsTemplateTests {

    private static final Path TEMPLATE = Path.of("ecs/event-persister.yml");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Object> template = CloudFormationYaml.read(TEMPLATE);

    @Test
    void taskRoleGrantsExactlyTheActionsTheServiceCalls() {
        Map<Target, Set<String>> granted = new HashMap<>();
        for (Map<String, Object> statement : policyStatements(resource("TaskRole"))) {
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
        Set<String> called = new TreeSet<>();
        for (JavaMethodCall call : new ClassFileImporter()
                        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("com.kahula.eventpersister")
                        .stream()
                        .filter(type -> !type.getPackageName().endsWith(".provisioning")
                                && !type.getSimpleName().equals("ProvisioningConfiguration"))
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
        assertThat(called)
                .as("the scan finds the calls it should")
                .contains("dynamodb:PutItem", "sqs:SendMessage", "events:PutEvents");
        assertThat(AwsActions.all()).containsAll(called);
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
        List<Map<String, Object>> statements = maps(list(resource("QueuePolicy"), "PolicyDocument", "Statement"));
        assertThat(statements).hasSize(1);
        Map<String, Object> statement = statements.getFirst();
        assertThat(statement.get("Effect")).isEqualTo("Allow");
        assertThat(at(statement, "Principal", "Service")).isEqualTo("events.amazonaws.com");
        assertThat(statement.get("Action")).isEqualTo("sqs:SendMessage");
        assertThat(statement.get("Resource")).isEqualTo(getAtt("Queue.Arn"));
        assertThat(map(statement, "Condition"))
                .isEqualTo(Map.of("ArnEquals", Map.of("aws:SourceArn", getAtt("BusRule.Arn"))));
        assertThat(list(resource("QueuePolicy"), "Queues")).containsExactly(ref("Queue"));
        assertThat(targetArns()).contains(getAtt("Queue.Arn"));
    }

    @Test
    void queuesAreEncryptedAndRedriveLikeTheLocalLayout() {
        PersisterProperties.Provisioning local = new Binder(new MapConfigurationPropertySource())
                .bindOrCreate("persister.provisioning", Bindable.of(PersisterProperties.Provisioning.class));
        Map<String, Object> queue = resource("Queue");
        assertThat(at(queue, "SqsManagedSseEnabled")).isEqualTo(true);
        assertThat(at(resource("DeadLetterQueue"), "SqsManagedSseEnabled")).isEqualTo(true);
        assertThat(at(queue, "RedrivePolicy", "deadLetterTargetArn")).isEqualTo(getAtt("DeadLetterQueue.Arn"));
        assertThat(at(queue, "RedrivePolicy", "maxReceiveCount")).isEqualTo(ref("MaxReceiveCount"));
        assertThat(at(template, "Parameters", "MaxReceiveCount", "Default")).isEqualTo(local.maxReceiveCount());
        assertThat(at(queue, "VisibilityTimeout"))
                .isEqualTo((int) local.visibilityTimeout().toSeconds());
    }

    @Test
    void firehoseBuffers128MbOr900Seconds() {
        Map<String, Object> stream = resource("ArchiveStream");
        Map<String, Object> s3 = map(stream, "ExtendedS3DestinationConfiguration");
        assertThat(map(s3, "BufferingHints")).isEqualTo(Map.of("SizeInMBs", 128, "IntervalInSeconds", 900));
        assertThat(s3.get("CompressionFormat")).isEqualTo("GZIP");
        assertThat(s3.get("BucketARN")).isEqualTo(getAtt("ArchiveBucket.Arn"));
        assertThat((String) s3.get("Prefix")).contains("!{timestamp:yyyy}", "!{timestamp:MM}", "!{timestamp:dd}");
        assertThat((String) s3.get("ErrorOutputPrefix")).contains("!{firehose:error-output-type}");
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
    void tableKeysAndIndexMatchTheService() {
        CreateTableRequest expected = EventTable.createTableRequest("x");
        Map<String, Object> table = resource("EventsTable");

        assertThat(table.get("BillingMode")).isEqualTo(expected.billingModeAsString());
        assertThat(maps(list(table, "AttributeDefinitions")))
                .containsExactlyInAnyOrderElementsOf(expected.attributeDefinitions().stream()
                        .map(EcsTemplateTests::attribute)
                        .toList());
        assertThat(list(table, "KeySchema")).isEqualTo(keys(expected.keySchema()));
        List<Map<String, Object>> indexes = maps(list(table, "GlobalSecondaryIndexes"));
        assertThat(indexes).hasSameSizeAs(expected.globalSecondaryIndexes());
        for (GlobalSecondaryIndex index : expected.globalSecondaryIndexes()) {
            assertThat(indexes)
                    .anySatisfy(declared -> assertThat(declared)
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
    void rulePatternMatchesEveryExampleAndFollowUps() throws Exception {
        String pattern = (String) at(template, "Parameters", "EventPattern", "Default");
        assertThat(at(resource("BusRule"), "EventPattern")).isEqualTo(ref("EventPattern"));
        Machine machine = new Machine();
        machine.addRule("bus-rule", pattern);

        List<String> events = new ArrayList<>();
        try (Stream<Path> examples = Files.list(Path.of("examples"))) {
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
    void taskRunsReadOnlyOnFargateArmWithATmpVolume() {
        Map<String, Object> task = resource("TaskDefinition");
        Map<String, Object> container = container();
        assertThat(list(task, "RequiresCompatibilities")).containsExactly("FARGATE");
        assertThat(at(task, "RuntimePlatform", "CpuArchitecture")).isEqualTo("ARM64");
        assertThat(task).containsEntry("Cpu", "512").containsEntry("Memory", "1024");
        assertThat(container.get("ReadonlyRootFilesystem")).isEqualTo(true);
        assertThat(maps(list(container, "MountPoints")))
                .anySatisfy(mount -> assertThat(mount).containsEntry("ContainerPath", "/tmp"));
        String volume = (String) maps(list(container, "MountPoints")).getFirst().get("SourceVolume");
        assertThat(maps(list(task, "Volumes"))).anySatisfy(v -> assertThat(v).containsEntry("Name", volume));
        assertThat(at(container, "LogConfiguration", "LogDriver")).isEqualTo("awslogs");
        assertThat(environment(container)).containsEntry("PERSISTER_ENV", ref("Env"));
    }

    @Test
    void healthCheckRunsTheImagesLivenessCheck() throws IOException {
        List<String> command = strings(list(container(), "HealthCheck", "Command"));
        assertThat(command.getFirst()).isEqualTo("CMD");
        assertThat(command).contains("/app/application.jar", "http://localhost:8081/actuator/health/liveness");
        String mainClass = command.get(command.size() - 2);
        assertThat(mainClass).isEqualTo(com.kahula.eventpersister.HealthCheck.class.getName());
        String dockerfile = Files.readString(Path.of("Dockerfile"));
        assertThat(dockerfile)
                .as("the image puts application.jar where the check looks")
                .contains("WORKDIR /app", "-jar application.jar");
    }

    @Test
    void failedDeploymentsRollBack() {
        assertThat(map(resource("Service"), "DeploymentConfiguration", "DeploymentCircuitBreaker"))
                .isEqualTo(Map.of("Enable", true, "Rollback", true));
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

        // The metric as the service registers it; Micrometer's CloudWatch registry publishes a counter as <name>.count
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new PersisterMetrics(registry)
                .followUpListener()
                .failed(new FollowUp("id", "ValidatableEvent", "s", "{}", "cause", "rule"));
        Meter failed = registry.getMeters().stream()
                .filter(meter -> meter.getId().getTag("type") != null)
                .filter(meter -> "failed".equals(meter.getId().getTag("outcome")))
                .findFirst()
                .orElseThrow();
        String query = (String)
                at(maps(list(resource("FailedFollowUpsAlarm"), "Metrics")).getFirst(), "Expression", "Fn::Sub");
        assertThat(query)
                .contains("SUM(\"" + failed.getId().getName() + ".count\")")
                .contains("FROM \"${MetricsNamespace}\"")
                .contains("outcome = 'failed'");
    }

    @Test
    void everyReferenceResolves() {
        Set<String> names = new HashSet<>(map(template, "Parameters").keySet());
        names.addAll(map(template, "Resources").keySet());
        names.addAll(Set.of("AWS::Region", "AWS::AccountId", "AWS::Partition", "AWS::NoValue", "AWS::StackName"));
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
                        Matcher variable = Pattern.compile("\\$\\{([^}!]+)}").matcher(String.valueOf(value));
                        while (variable.find()) {
                            check(variable.group(1).split("\\.")[0], names, out);
                        }
                    }
                    case "Fn::If" -> checkCondition(((List<?>) value).getFirst(), conditions, out);
                    // A resource's Condition or !Condition names one; an IAM statement's Condition is a map
                    case "Condition" -> {
                        if (value instanceof String condition) {
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

    private Map<String, Object> resource(String name) {
        return map(template, "Resources", name, "Properties");
    }

    private Map<String, Object> container() {
        List<Map<String, Object>> containers = maps(list(resource("TaskDefinition"), "ContainerDefinitions"));
        assertThat(containers).hasSize(1);
        return containers.getFirst();
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
