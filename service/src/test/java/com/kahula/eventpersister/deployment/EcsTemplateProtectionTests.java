package com.kahula.eventpersister.deployment;

import static com.kahula.eventpersister.support.CloudFormationYaml.at;
import static com.kahula.eventpersister.support.CloudFormationYaml.list;
import static com.kahula.eventpersister.support.CloudFormationYaml.map;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.kahula.eventpersister.support.CloudFormationYaml;
import com.kahula.eventpersister.support.RepositoryFiles;
import com.kahula.eventpersister.support.TemplateEvaluation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * The stateful parts of ecs/event-persister.yml survive a mistake (retained, versioned, locked, replicated, guarded by
 * the stack policy) and the rest is hardened: trust tied to the one resource that assumes a role, follow-ups sent only
 * under the service's source, no Linux capability, the JVM sized by the task.
 */
class EcsTemplateProtectionTests {

    private static final Path TEMPLATE = RepositoryFiles.of("ecs/event-persister.yml");
    private static final Path STACK_POLICY = RepositoryFiles.of("ecs/stack-policy.json");
    private static final Set<String> STATEFUL_TYPES =
            Set.of("AWS::DynamoDB::Table", "AWS::S3::Bucket", "AWS::SQS::Queue", "AWS::Logs::LogGroup");

    private final Map<String, Object> template = CloudFormationYaml.read(TEMPLATE);

    @Test
    void everyStatefulResourceIsRetainedAndTheStackPolicyForbidsReplacingOrDeletingIt() throws IOException {
        Set<String> stateful = new TreeSet<>();
        map(template, "Resources").forEach((name, resource) -> {
            if (STATEFUL_TYPES.contains((String) at(resource, "Type"))) {
                stateful.add(name);
                assertThat(asMap(resource))
                        .as(name)
                        .containsEntry("DeletionPolicy", "Retain")
                        .containsEntry("UpdateReplacePolicy", "Retain");
            }
        });
        assertThat(stateful).contains("EventsTable", "ArchiveBucket", "Queue", "DeadLetterQueue");

        JsonNode statements = new ObjectMapper().readTree(STACK_POLICY.toFile()).get("Statement");
        assertThat(statements).hasSize(2);
        JsonNode allow = statements.get(0);
        assertThat(allow.get("Effect").asText()).isEqualTo("Allow");
        assertThat(allow.get("Action").asText()).isEqualTo("Update:*");
        assertThat(allow.get("Resource").asText()).isEqualTo("*");
        JsonNode deny = statements.get(1);
        assertThat(deny.get("Effect").asText()).isEqualTo("Deny");
        assertThat(texts(deny.get("Action"))).containsExactlyInAnyOrder("Update:Replace", "Update:Delete");
        assertThat(texts(deny.get("Resource")))
                .as("exactly the stateful resources")
                .containsExactlyInAnyOrderElementsOf(stateful.stream()
                        .map(name -> "LogicalResourceId/" + name)
                        .toList());
        assertThat(Files.readString(RepositoryFiles.of("docs/deployment.md")))
                .as("docs/deployment.md says how to set it")
                .contains("set-stack-policy")
                .contains("--stack-policy-body file://ecs/stack-policy.json");
    }

    @Test
    void theArchiveKeepsOldVersionsForAWhile() {
        TemplateEvaluation stack = stack(Map.of("ArchiveNoncurrentVersionDays", "45"));
        assertThat(stack.property("ArchiveBucket", "VersioningConfiguration")).isEqualTo(Map.of("Status", "Enabled"));
        Map<String, Object> oldVersions = rules(stack).stream()
                .filter(rule -> "old-versions".equals(rule.get("Id")))
                .findFirst()
                .orElseThrow();
        assertThat(oldVersions.get("Status")).isEqualTo("Enabled");
        assertThat(oldVersions.get("NoncurrentVersionExpiration")).isEqualTo(Map.of("NoncurrentDays", "45"));
        assertThat(oldVersions.get("ExpiredObjectDeleteMarker")).isEqualTo(true);
        assertThat(oldVersions).doesNotContainKeys("Prefix", "Filter");
    }

    @Test
    void objectLockInGovernanceModeIsAParameterOffByDefault() {
        TemplateEvaluation plain = stack(Map.of());
        assertThat(asMap(plain.value(map(template, "Resources", "ArchiveBucket", "Properties"))))
                .doesNotContainKeys("ObjectLockEnabled", "ObjectLockConfiguration");

        TemplateEvaluation locked = stack(Map.of("ArchiveObjectLockDays", "365"));
        assertThat(locked.property("ArchiveBucket", "ObjectLockEnabled")).isEqualTo(true);
        assertThat(locked.property("ArchiveBucket", "ObjectLockConfiguration"))
                .isEqualTo(Map.of(
                        "ObjectLockEnabled",
                        "Enabled",
                        "Rule",
                        Map.of("DefaultRetention", Map.of("Mode", "GOVERNANCE", "Days", "365"))));
    }

    @Test
    void theArchiveReplicatesToAnotherBucketWithoutItsDeletes() {
        assertThat(stack(Map.of()).creates("ArchiveReplicationRole")).isFalse();

        String replica = "arn:aws:s3:::kahula-archive-prod-replica";
        TemplateEvaluation stack = stack(
                        Map.of("ArchiveReplicaBucketArn", replica, "ArchiveReplicaAccountId", "210987654321"))
                .with("ArchiveReplicationRole.Arn", "arn:aws:iam::123456789012:role/replication");
        assertThat(stack.creates("ArchiveReplicationRole")).isTrue();
        Map<String, Object> replication = asMap(stack.property("ArchiveBucket", "ReplicationConfiguration"));
        assertThat(replication.get("Role")).isEqualTo("arn:aws:iam::123456789012:role/replication");
        Map<String, Object> rule = asMap(list(replication, "Rules").getFirst());
        assertThat(rule.get("Filter")).isEqualTo(Map.of("Prefix", "events/"));
        assertThat(rule.get("DeleteMarkerReplication")).isEqualTo(Map.of("Status", "Disabled"));
        assertThat(rule.get("Destination"))
                .isEqualTo(Map.of(
                        "Bucket",
                        replica,
                        "Account",
                        "210987654321",
                        "AccessControlTranslation",
                        Map.of("Owner", "Destination")));

        // the role reads this bucket and writes only the replica's events/; S3 alone assumes it, from this account
        String bucket = "arn:aws:s3:::" + stack.string("ArchiveBucket", "BucketName");
        stack.with("ArchiveBucket.Arn", bucket).with("ArchiveReplicationRole", "replication");
        assertThat(stack.creates("ArchiveReplicationPolicy")).isTrue();
        assertThat(stack.property("ArchiveReplicationPolicy", "RoleName")).isEqualTo("replication");
        Map<String, Object> resources = new java.util.TreeMap<>();
        for (Object statement : list(stack.property("ArchiveReplicationPolicy", "PolicyDocument"), "Statement")) {
            resources.put((String) at(statement, "Sid"), at(statement, "Resource"));
        }
        assertThat(resources)
                .isEqualTo(Map.of(
                        "ReadTheReplicationConfiguration", bucket,
                        "ReadTheVersions", bucket + "/events/*",
                        "WriteTheReplicas", replica + "/events/*"));
        assertThat(trustCondition(stack, "ArchiveReplicationRole", "StringEquals"))
                .isEqualTo(Map.of("aws:SourceAccount", "123456789012"));
        assertThat(at(
                        list(stack.property("ArchiveReplicationRole", "AssumeRolePolicyDocument"), "Statement")
                                .getFirst(),
                        "Principal"))
                .isEqualTo(Map.of("Service", "s3.amazonaws.com"));
    }

    @Test
    void theArchiveBucketIsNamedForItsRegionUnlessANameIsGiven() {
        assertThat(stack(Map.of()).string("ArchiveBucket", "BucketName"))
                .isEqualTo("kahula-archive-prod-123456789012-eu-west-1");
        assertThat(stack(Map.of("ArchiveBucketName", "kahula-events-archive-prod-123456789012"))
                        .string("ArchiveBucket", "BucketName"))
                .as("an existing bucket kept under its name")
                .isEqualTo("kahula-events-archive-prod-123456789012");
    }

    @Test
    void eachServiceRoleTrustsOnlyTheResourceThatAssumesIt() {
        TemplateEvaluation stack = stack(Map.of());
        // ARNs as AWS documents them, for Env=prod in eu-west-1
        assertThat(trustCondition(stack, "ArchiveStreamRole", "ArnEquals"))
                .isEqualTo(Map.of(
                        "aws:SourceArn",
                        "arn:aws:firehose:eu-west-1:123456789012:deliverystream/"
                                + stack.string("ArchiveStream", "DeliveryStreamName")));
        assertThat(stack.string("ArchiveStream", "DeliveryStreamName")).isEqualTo("kahula-events-archive-prod");
        assertThat(trustCondition(stack, "ArchiveDeliveryRole", "ArnEquals"))
                .as("a rule on a custom bus: rule/{bus}/{rule}")
                .isEqualTo(Map.of(
                        "aws:SourceArn",
                        "arn:aws:events:eu-west-1:123456789012:rule/kahula-events-prod/kahula-event-persister-prod"));
        assertThat(stack.string("BusRule", "Name")).isEqualTo("kahula-event-persister-prod");
        for (String role : List.of("ArchiveStreamRole", "ArchiveDeliveryRole")) {
            assertThat(trustCondition(stack, role, "StringEquals")).containsEntry("aws:SourceAccount", "123456789012");
        }
        // the dead-letter queue takes redrives from the service's queue alone
        Map<?, ?> redriveAllow = (Map<?, ?>) stack.property("DeadLetterQueue", "RedriveAllowPolicy");
        assertThat(redriveAllow.get("redrivePermission")).isEqualTo("byQueue");
        assertThat(redriveAllow.get("sourceQueueArns"))
                .isEqualTo(List.of("arn:aws:sqs:eu-west-1:123456789012:" + stack.string("Queue", "QueueName")));
    }

    @Test
    void followUpsGoOnTheBusOnlyUnderTheServicesSource() {
        // the source the service gives its follow-ups (application.yml, persister.follow-up.source)
        String shipped = (String) at(applicationYaml(), "persister", "follow-up", "source");
        assertThat(shipped).isNotBlank();
        for (String role : List.of("TaskRole", "FollowUpsTaskRole")) {
            List<Map<String, Object>> putEvents = statements(role).stream()
                    .filter(statement -> list(statement, "Action").contains("events:PutEvents"))
                    .toList();
            assertThat(putEvents)
                    .as(role)
                    .singleElement()
                    // events:source has a value per entry of the call: each must be the service's, the key present
                    .satisfies(statement -> assertThat(statement.get("Condition"))
                            .isEqualTo(Map.of(
                                    "ForAllValues:StringEquals",
                                    Map.of("events:source", List.of(shipped)),
                                    "Null",
                                    Map.of("events:source", "false"))));
        }
    }

    @Test
    void everyContainerDropsEveryLinuxCapability() {
        List<String> definitions = map(template, "Resources").entrySet().stream()
                .filter(entry -> "AWS::ECS::TaskDefinition".equals(at(entry.getValue(), "Type")))
                .map(Map.Entry::getKey)
                .toList();
        assertThat(definitions).hasSize(5);
        for (String definition : definitions) {
            for (Object container : list(template, "Resources", definition, "Properties", "ContainerDefinitions")) {
                assertThat(at(container, "LinuxParameters", "Capabilities"))
                        .as(definition)
                        .isEqualTo(Map.of("Drop", List.of("ALL")));
            }
        }
    }

    @Test
    void theJvmTakesItsProcessorsAndCollectorFromTheTaskSize() throws IOException {
        for (Object cpu : list(template, "Parameters", "TaskCpu", "AllowedValues")) {
            int units = Integer.parseInt((String) cpu);
            int processors = Math.max(1, units / 1024);
            String options = javaOptsSize(stack(Map.of("TaskCpu", (String) cpu, "TaskMemory", "8192")));
            assertThat(options)
                    .as("%s CPU units", cpu)
                    .contains("-XX:ActiveProcessorCount=" + processors)
                    .contains(processors == 1 ? "-XX:+UseSerialGC" : "-XX:+UseG1GC")
                    .contains("-XX:MaxRAMPercentage=" + at(template, "Parameters", "HeapPercentage", "Default"));
        }
        Matcher image = Pattern.compile("(?m)^ENV JAVA_OPTS_SIZE=\"([^\"]+)\"$")
                .matcher(Files.readString(RepositoryFiles.of("Dockerfile")));
        assertThat(image.find()).isTrue();
        assertThat(javaOptsSize(stack(Map.of())))
                .as("the default task runs the flags the image's AOT cache was trained with")
                .isEqualTo(image.group(1));
    }

    @Test
    void operatorsFindTheNetworkForOneOffTasksInTheOutputs() throws IOException {
        TemplateEvaluation stack = stack(Map.of()).with("TaskSecurityGroup", "sg-1");
        assertThat(stack.value(at(template, "Outputs", "TaskSecurityGroup", "Value")))
                .isEqualTo("sg-1");
        assertThat(stack.value(at(template, "Outputs", "TaskSubnets", "Value")))
                .isEqualTo("subnet-0123456789abcdef0,subnet-0fedcba9876543210");
        String toolkit = Files.readString(RepositoryFiles.of("docs/toolkit.md"));
        Matcher runTask = Pattern.compile("aws ecs run-task[^`]*?(?=\\n\\n|```)", Pattern.DOTALL)
                .matcher(toolkit);
        int examples = 0;
        while (runTask.find()) {
            examples++;
            assertThat(runTask.group())
                    .as("a run-task example takes the stack's outputs")
                    .contains("subnets=[$SUBNETS]")
                    .contains("securityGroups=[$SECURITY_GROUP]");
        }
        assertThat(examples).isPositive();
        assertThat(toolkit).contains("OutputKey=='TaskSubnets'").contains("OutputKey=='TaskSecurityGroup'");
    }

    @Test
    void theTableCanBePrewarmed() {
        assertThat(asMap(stack(Map.of()).value(map(template, "Resources", "EventsTable", "Properties"))))
                .doesNotContainKey("WarmThroughput");
        TemplateEvaluation warm = stack(Map.of("TableWarmWriteUnitsPerSecond", "40000"));
        assertThat(warm.property("EventsTable", "WarmThroughput")).isEqualTo(Map.of("WriteUnitsPerSecond", "40000"));
        assertThat(list(warm.property("EventsTable", "GlobalSecondaryIndexes"), new String[0]))
                .as("every write to the table writes its indexes too")
                .hasSize(2)
                .allSatisfy(index ->
                        assertThat(at(index, "WarmThroughput")).isEqualTo(Map.of("WriteUnitsPerSecond", "40000")));
    }

    // ---------------------------------------------------------------- helpers

    private static String javaOptsSize(TemplateEvaluation stack) {
        stack.with("LogGroup", "/ecs/event-persister-prod");
        Object container = list(stack.property("TaskDefinition", "ContainerDefinitions"), new String[0])
                .getFirst();
        return list(container, "Environment").stream()
                .map(variable -> (Map<?, ?>) variable)
                .filter(variable -> "JAVA_OPTS_SIZE".equals(variable.get("Name")))
                .map(variable -> (String) variable.get("Value"))
                .findFirst()
                .orElseThrow();
    }

    private List<Map<String, Object>> rules(TemplateEvaluation stack) {
        return list(stack.property("ArchiveBucket", "LifecycleConfiguration", "Rules"), new String[0]).stream()
                .map(EcsTemplateProtectionTests::asMap)
                .toList();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> trustCondition(TemplateEvaluation stack, String role, String operator) {
        Object statement = list(stack.property(role, "AssumeRolePolicyDocument"), "Statement")
                .getFirst();
        return (Map<String, Object>) at(statement, "Condition", operator);
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> statements(String role) {
        return list(template, "Resources", role, "Properties", "Policies").stream()
                .flatMap(policy -> list(policy, "PolicyDocument", "Statement").stream())
                .map(statement -> (Map<String, Object>) statement)
                .toList();
    }

    private static Map<String, Object> applicationYaml() {
        return CloudFormationYaml.read(Path.of("src/main/resources/application.yml"));
    }

    private static List<String> texts(JsonNode node) {
        return StreamSupport.stream(node.spliterator(), false)
                .map(JsonNode::asText)
                .toList();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object value) {
        return (Map<String, Object>) value;
    }

    private TemplateEvaluation stack(Map<String, String> given) {
        return new TemplateEvaluation(template, EcsTemplateParameterTests.parameters(given), "eu-west-1");
    }
}
