package com.kahula.eventpersister.deployment;

import static com.kahula.eventpersister.support.CloudFormationYaml.at;
import static com.kahula.eventpersister.support.CloudFormationYaml.list;
import static com.kahula.eventpersister.support.CloudFormationYaml.map;
import static org.assertj.core.api.Assertions.assertThat;

import com.kahula.eventpersister.support.CloudFormationYaml;
import com.kahula.eventpersister.support.RepositoryFiles;
import com.kahula.eventpersister.support.TemplateEvaluation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The parameters of ecs/event-persister.yml refuse what AWS would refuse, before anything is created, and the names
 * that are global to an account or to AWS do not collide across regions.
 */
class EcsTemplateParameterTests {

    private static final Path TEMPLATE = RepositoryFiles.of("ecs/event-persister.yml");

    /**
     * Fargate's task sizes for Linux (AWS Fargate documentation, "Task CPU and memory"): CPU units -> the least and
     * most memory in MiB, in steps of 1024 (from 1024 for the 0.25 vCPU task, whose least is 512).
     */
    private static final Map<Integer, int[]> FARGATE_MEMORY_RANGE = Map.of(
            256, new int[] {512, 2048},
            512, new int[] {1024, 4096},
            1024, new int[] {2048, 8192},
            2048, new int[] {4096, 16384},
            4096, new int[] {8192, 30720});

    /** What a full heap must leave of the service container for the JVM's native memory (docs/capacity.md). */
    private static final int NATIVE_MEMORY_MIB = 256;

    /** The collector sidecar's hard memory limit, which the service container does not have (EcsTemplateTests). */
    private static final int COLLECTOR_MEMORY_MIB = 256;

    /** The longest region codes of today's AWS regions, at 14 characters. */
    private static final List<String> LONGEST_REGIONS = List.of("ap-southeast-5", "ap-northeast-3", "eusc-de-east-1");

    private final Map<String, Object> template = CloudFormationYaml.read(TEMPLATE);

    @Test
    void theDefaultsAreAccepted() {
        assertThat(evaluate(Map.of())).isEmpty();
    }

    @Test
    void acceptsExactlyFargatesCombinationsOfCpuAndMemory() {
        for (Object cpu : list(template, "Parameters", "TaskCpu", "AllowedValues")) {
            for (Object memory : list(template, "Parameters", "TaskMemory", "AllowedValues")) {
                int cpuUnits = Integer.parseInt((String) cpu);
                int mib = Integer.parseInt((String) memory);
                int[] range = FARGATE_MEMORY_RANGE.get(cpuUnits);
                boolean fargateTakesIt = mib >= range[0] && mib <= range[1] && (mib == 512 || mib % 1024 == 0);
                List<String> refusals = evaluate(Map.of("TaskCpu", (String) cpu, "TaskMemory", (String) memory));
                assertThat(refusals.stream().filter(refusal -> refusal.startsWith("Fargate")))
                        .as("%s CPU units with %s MiB", cpu, memory)
                        .hasSize(fargateTakesIt ? 0 : 1);
            }
        }
        assertThat(evaluate(Map.of("TaskCpu", "256", "TaskMemory", "4096", "HeapPercentage", "50")))
                .singleElement()
                .asString()
                .startsWith("FargateCombinationOfCpuAndMemory");
        assertThat(evaluate(Map.of("TaskCpu", "2048", "TaskMemory", "4096", "HeapPercentage", "85")))
                .isEmpty();
    }

    @Test
    void refusesAHeapShareThatLeavesLessThanTheNativeMemory() {
        for (Object memory : list(template, "Parameters", "TaskMemory", "AllowedValues")) {
            for (Object heap : list(template, "Parameters", "HeapPercentage", "AllowedValues")) {
                int mib = Integer.parseInt((String) memory);
                double outsideTheHeap = (mib - COLLECTOR_MEMORY_MIB) * (100 - Integer.parseInt((String) heap)) / 100.0;
                List<String> refusals = evaluate(
                        Map.of("TaskCpu", cpuFor(mib), "TaskMemory", (String) memory, "HeapPercentage", (String) heap));
                assertThat(refusals)
                        .as("%s %% of %s MiB leaves %s MiB", heap, memory, outsideTheHeap)
                        .hasSize(outsideTheHeap >= NATIVE_MEMORY_MIB ? 0 : 1);
            }
        }
        assertThat(evaluate(Map.of("TaskMemory", "1024", "HeapPercentage", "70")))
                .singleElement()
                .asString()
                .startsWith("HeapLeavesTheNativeMemory");
    }

    @Test
    void refusesAGlacierTransitionLessThanThirtyDaysAfterStandardIa() {
        for (Object ia : list(template, "Parameters", "ArchiveToInfrequentAccessDays", "AllowedValues")) {
            for (Object glacier : list(template, "Parameters", "ArchiveToGlacierDays", "AllowedValues")) {
                boolean s3TakesIt = (int) glacier >= (int) ia + 30 && (int) ia >= 30;
                assertThat(evaluate(Map.of(
                                "ArchiveToInfrequentAccessDays", ia.toString(),
                                "ArchiveToGlacierDays", glacier.toString())))
                        .as("Standard-IA after %s days, Glacier IR after %s", ia, glacier)
                        .hasSize(s3TakesIt ? 0 : 1);
            }
        }
        assertThat(evaluate(Map.of("ArchiveToInfrequentAccessDays", "10"))).isNotEmpty();
    }

    @Test
    void refusesAWarmThroughputBelowWhatANewTableHas() {
        assertThat(evaluate(Map.of("TableWarmWriteUnitsPerSecond", "0"))).isEmpty();
        assertThat(evaluate(Map.of("TableWarmWriteUnitsPerSecond", "50600"))).isEmpty();
        assertThat(evaluate(Map.of("TableWarmWriteUnitsPerSecond", "4000"))).isEmpty();
        assertThat(evaluate(Map.of("TableWarmWriteUnitsPerSecond", "3999")))
                .as("a new on-demand table takes 4,000 write units a second, and warm throughput is never lowered")
                .singleElement()
                .asString()
                .startsWith("TableWarmWriteUnitsPerSecond");
    }

    @Test
    void takesOnlyTheRetentionsCloudWatchLogsTakes() {
        assertThat(evaluate(Map.of("LogRetentionDays", "365"))).isEmpty();
        assertThat(evaluate(Map.of("LogRetentionDays", "364")))
                .singleElement()
                .asString()
                .startsWith("LogRetentionDays");
    }

    @Test
    void refusesAReplicaAccountWithoutAReplicaBucket() {
        String bucket = "arn:aws:s3:::kahula-archive-replica";
        assertThat(evaluate(Map.of("ArchiveReplicaAccountId", "210987654321"))).hasSize(1);
        assertThat(evaluate(Map.of("ArchiveReplicaBucketArn", bucket, "ArchiveReplicaAccountId", "210987654321")))
                .isEmpty();
        assertThat(evaluate(Map.of("ArchiveReplicaBucketArn", bucket))).isEmpty();
        assertThat(evaluate(Map.of("ArchiveReplicaBucketArn", "kahula-archive-replica")))
                .as("a bucket name is not its ARN")
                .hasSize(1);
    }

    @Test
    void refusesAlarmDestinationsThatAreNotAddresses() {
        assertThat(evaluate(Map.of("PageEmail", "events-oncall"))).hasSize(1);
        assertThat(evaluate(Map.of("NoticeEmail", "events@example.com"))).isEmpty();
        assertThat(evaluate(Map.of("PageHttpsEndpoint", "http://pager.example.com/hook")))
                .as("SNS delivers over https")
                .hasSize(1);
        assertThat(evaluate(Map.of("PageHttpsEndpoint", "https://events.pagerduty.com/integration/x/enqueue")))
                .isEmpty();
    }

    @Test
    void accountWideNamesCarryTheRegionAndFitAwsLimits() {
        String longestEnv = "e".repeat(20);
        assertThat(longestEnv).matches((String) at(template, "Parameters", "Env", "AllowedPattern"));
        for (String region : LONGEST_REGIONS) {
            TemplateEvaluation stack = new TemplateEvaluation(template, parameters(Map.of("Env", longestEnv)), region);
            assertThat(stack.string("ArchiveBucket", "BucketName"))
                    .as("S3 bucket names: at most 63 characters")
                    .hasSizeLessThanOrEqualTo(63)
                    .contains(region)
                    .matches("[a-z0-9][a-z0-9.-]+[a-z0-9]");
            assertThat(stack.string("Dashboard", "DashboardName")).contains(region);
            for (String role : roles()) {
                assertThat(stack.string(role, "RoleName"))
                        .as("%s: IAM role names are global to the account, at most 64 characters", role)
                        .hasSizeLessThanOrEqualTo(64)
                        .contains(region);
            }
        }
        assertThat(roles())
                .as("every role the stack names")
                .contains("TaskRole", "ExecutionRole", "DeadLettersTaskRole");
    }

    @Test
    void theServicesNamesStayTheContract() {
        TemplateEvaluation stack = new TemplateEvaluation(template, parameters(Map.of("Env", "prod")), "eu-west-1");
        assertThat(stack.string("EventsTable", "TableName")).isEqualTo("kahula-events-prod");
        assertThat(stack.string("Queue", "QueueName")).isEqualTo("kahula-event-persister-prod");
        assertThat(stack.string("BusRule", "EventBusName")).isEqualTo("kahula-events-prod");
    }

    @Test
    void deploymentDocsExplainEveryParameter() throws Exception {
        String deployment = Files.readString(RepositoryFiles.of("docs/deployment.md"));
        Matcher rows = Pattern.compile("(?m)^\\| (`[^|]+`) \\|").matcher(deployment);
        StringBuilder documented = new StringBuilder();
        while (rows.find()) {
            documented.append(rows.group(1));
        }
        for (String parameter : map(template, "Parameters").keySet()) {
            assertThat(documented.toString())
                    .as("docs/deployment.md's parameter table")
                    .contains("`" + parameter + "`");
        }
    }

    private List<String> roles() {
        return map(template, "Resources").entrySet().stream()
                .filter(entry -> "AWS::IAM::Role".equals(at(entry.getValue(), "Type")))
                .filter(entry -> map(entry.getValue(), "Properties").containsKey("RoleName"))
                .map(Map.Entry::getKey)
                .toList();
    }

    /** A Fargate CPU size that takes the memory, so that only the heap share decides. */
    private static String cpuFor(int mib) {
        return FARGATE_MEMORY_RANGE.entrySet().stream()
                .filter(range -> mib >= range.getValue()[0] && mib <= range.getValue()[1])
                .map(range -> String.valueOf(range.getKey()))
                .findFirst()
                .orElseThrow();
    }

    private List<String> evaluate(Map<String, String> given) {
        return new TemplateEvaluation(template, parameters(given), "eu-west-1").refusals();
    }

    /** The required parameters, as a first deploy gives them, with the given ones on top. */
    static Map<String, String> parameters(Map<String, String> given) {
        Map<String, String> values = new HashMap<>(Map.of(
                "Env", "prod",
                "Owner", "team-events",
                "PageEmail", "events-oncall@example.com",
                "ImageDigest", "sha256:" + "0123456789abcdef".repeat(4),
                "CollectorImageDigest", "sha256:" + "fedcba9876543210".repeat(4),
                "VpcId", "vpc-0123456789abcdef0",
                "SubnetA", "subnet-0123456789abcdef0",
                "SubnetB", "subnet-0fedcba9876543210"));
        values.putAll(given);
        return values;
    }
}
