package com.kahula.eventpersister.deployment;

import static com.kahula.eventpersister.support.CloudFormationYaml.at;
import static com.kahula.eventpersister.support.CloudFormationYaml.list;
import static com.kahula.eventpersister.support.CloudFormationYaml.map;
import static org.assertj.core.api.Assertions.assertThat;

import com.kahula.eventpersister.followup.FollowUp;
import com.kahula.eventpersister.support.CloudFormationYaml;
import com.kahula.eventpersister.support.CloudWatchPublication;
import com.kahula.eventpersister.support.RepositoryFiles;
import com.kahula.eventpersister.support.TemplateEvaluation;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.event.ruler.Machine;

/**
 * The alarms of ecs/event-persister.yml can fire (each on a metric AWS or the service publishes, with the dimensions
 * they publish) and reach the right person: a page for late, lost or soon-lost events and a service that is down, a
 * notice for office-hours work.
 */
class EcsTemplateAlarmTests {

    private static final Path TEMPLATE = RepositoryFiles.of("ecs/event-persister.yml");
    private static final String REGION = "eu-west-1";

    /** Alarms that wake someone: events late, lost or about to expire, or the service down. */
    private static final Set<String> PAGES = Set.of(
            "oldest-message-age",
            "running-tasks-below-minimum",
            "rule-lost-events",
            "archive-freshness",
            "oldest-pending-follow-up",
            "dead-letters-kept",
            "rule-dead-letters-kept");

    /** Office-hours work: dead letters to read, follow-ups the outbox holds, quotas. */
    private static final Set<String> NOTICES = Set.of(
            "dead-letters",
            "failed-events",
            "failed-follow-ups",
            "rejected-follow-ups",
            "listener-paused",
            "rule-failed-invocations",
            "rule-dead-letters",
            "archive-throttled");

    private final Map<String, Object> template = CloudFormationYaml.read(TEMPLATE);

    @Test
    void ruleAlarmsCarryTheDimensionsEventBridgePublishes() {
        // AWS/Events publishes FailedInvocations and InvocationsFailedToBeSentToDlq of a rule with the dimensions
        // EventBusName (the bus's name) and RuleName (the rule's name alone): for Env=prod, as the seed names them.
        Map<String, String> published =
                Map.of("EventBusName", "kahula-events-prod", "RuleName", "kahula-event-persister-prod");
        for (String createBus : List.of("true", "false")) {
            TemplateEvaluation stack = stack(Map.of("CreateEventBus", createBus))
                    // Ref of a rule on a custom bus is "bus|rule" (AWS::Events::Rule, return values)
                    .with("BusRule", "kahula-events-prod|kahula-event-persister-prod")
                    .with("EventBus", "kahula-events-prod");
            assertThat(stack.string("BusRule", "Name")).isEqualTo(published.get("RuleName"));
            Map<String, String> alarms = Map.of(
                    "RuleLostEventsAlarm", "InvocationsFailedToBeSentToDlq",
                    "RuleFailedInvocationsAlarm", "FailedInvocations");
            alarms.forEach((alarm, metric) -> {
                assertThat(stack.property(alarm, "Namespace")).isEqualTo("AWS/Events");
                assertThat(stack.property(alarm, "MetricName")).isEqualTo(metric);
                assertThat(dimensions(stack.property(alarm, "Dimensions")))
                        .as("%s with CreateEventBus=%s", alarm, createBus)
                        .isEqualTo(published);
            });
        }
    }

    @Test
    void everyAlarmGoesToExactlyOneTopicByWhatItMeans() {
        Map<String, Map<String, Object>> alarms = alarms();
        assertThat(alarms.keySet()).isEqualTo(union(PAGES, NOTICES));
        alarms.forEach((name, alarm) -> {
            Map<String, Object> topic = Map.of("Ref", PAGES.contains(name) ? "PageTopic" : "NoticeTopic");
            assertThat(list(alarm, "AlarmActions")).as(name).containsExactly(topic);
            assertThat(list(alarm, "OKActions")).as(name).containsExactly(topic);
        });
    }

    @Test
    void thePageReachesThePagerAndTheNoticesTheirAddressOrThePages() {
        TemplateEvaluation plain = stack(Map.of()).with("PageTopic", "page");
        assertThat(plain.creates("PagerSubscription")).isFalse();
        assertThat(plain.string("PageEmailSubscription", "Endpoint")).isEqualTo("events-oncall@example.com");
        assertThat(plain.property("PageEmailSubscription", "TopicArn")).isEqualTo("page");
        assertThat(plain.string("NoticeEmailSubscription", "Endpoint"))
                .as("no notice address: the notices go to the page address")
                .isEqualTo("events-oncall@example.com");

        TemplateEvaluation both = stack(Map.of(
                        "NoticeEmail", "events-team@example.com",
                        "PageHttpsEndpoint", "https://events.pagerduty.com/integration/x/enqueue"))
                .with("PageTopic", "arn:aws:sns:eu-west-1:123456789012:event-persister-prod-page");
        assertThat(both.string("NoticeEmailSubscription", "Endpoint")).isEqualTo("events-team@example.com");
        assertThat(both.creates("PagerSubscription")).isTrue();
        assertThat(both.property("PagerSubscription", "Protocol")).isEqualTo("https");
        assertThat(both.string("PagerSubscription", "TopicArn")).endsWith("-page");
    }

    @Test
    void theTopicsTakeOnlyThisStacksAlarms() {
        TemplateEvaluation stack = stack(Map.of()).with("PageTopic", "page").with("NoticeTopic", "notice");
        map(template, "Resources").forEach((id, resource) -> {
            if ("AWS::CloudWatch::Alarm".equals(at(resource, "Type"))) {
                Object name = stack.value(at(resource, "Properties", "AlarmName"));
                stack.with(id + ".Arn", "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:" + name);
            }
        });
        Map<String, Object> statement = maps(at(
                        stack.value(map(template, "Resources", "AlarmTopicsPolicy", "Properties")),
                        "PolicyDocument",
                        "Statement"))
                .stream()
                .collect(Collectors.collectingAndThen(Collectors.toList(), List::getFirst));
        assertThat(at(statement, "Principal", "Service")).isEqualTo("cloudwatch.amazonaws.com");
        assertThat(statement.get("Resource")).isEqualTo(List.of("page", "notice"));
        assertThat(at(statement, "Condition", "StringEquals", "aws:SourceAccount"))
                .isEqualTo("123456789012");
        assertThat(list(statement, "Condition", "ArnEquals", "aws:SourceArn"))
                .as("every alarm of the stack by its ARN, and nothing else")
                .containsExactlyInAnyOrderElementsOf(alarms().values().stream()
                        .map(alarm -> (Object) ("arn:aws:cloudwatch:eu-west-1:123456789012:alarm:"
                                + stack.value(alarm.get("AlarmName"))))
                        .toList());
        assertThat(list(
                        stack.value(map(template, "Resources", "AlarmTopicsPolicy", "Properties")),
                        "PolicyDocument",
                        "Statement"))
                .as("no other principal")
                .hasSize(1);
    }

    @Test
    void aFailedDeploymentOfThisServicePages() throws Exception {
        String service = "arn:aws:ecs:eu-west-1:123456789012:service/event-persister-prod/event-persister-prod";
        TemplateEvaluation stack = stack(Map.of()).with("Service", service).with("PageTopic", "page");
        Map<?, ?> pattern = (Map<?, ?>) stack.property("DeploymentFailedRule", "EventPattern");
        Machine machine = new Machine();
        machine.addRule(
                "deployment-failed", new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(pattern));
        assertThat(machine.rulesForJSONEvent(deploymentEvent(service, "SERVICE_DEPLOYMENT_FAILED")))
                .containsExactly("deployment-failed");
        assertThat(machine.rulesForJSONEvent(deploymentEvent(service, "SERVICE_DEPLOYMENT_COMPLETED")))
                .isEmpty();
        assertThat(machine.rulesForJSONEvent(
                        deploymentEvent(service.replace("prod", "staging"), "SERVICE_DEPLOYMENT_FAILED")))
                .as("another service's deployment")
                .isEmpty();
        stack.with("DeploymentFailedPageRole.Arn", "arn:aws:iam::123456789012:role/page");
        assertThat(maps(stack.property("DeploymentFailedRule", "Targets")))
                .singleElement()
                .satisfies(target -> assertThat(target)
                        .containsEntry("Arn", "page")
                        .containsEntry("RoleArn", "arn:aws:iam::123456789012:role/page"));
        assertThat(map(template, "Resources", "DeploymentFailedRule")).doesNotContainKey("Condition");

        // the rule's role publishes to the page topic alone, and only this rule may take it (its ARN on the default
        // bus)
        String ruleArn = "arn:aws:events:eu-west-1:123456789012:rule/" + stack.string("DeploymentFailedRule", "Name");
        Map<String, Object> trust = maps(at(
                        stack.property("DeploymentFailedPageRole", "AssumeRolePolicyDocument"), "Statement"))
                .getFirst();
        assertThat(at(trust, "Principal", "Service")).isEqualTo("events.amazonaws.com");
        assertThat(at(trust, "Condition", "ArnEquals", "aws:SourceArn")).isEqualTo(ruleArn);
        assertThat(at(trust, "Condition", "StringEquals", "aws:SourceAccount")).isEqualTo("123456789012");
        List<Map<String, Object>> grants = maps(at(
                maps(stack.property("DeploymentFailedPageRole", "Policies")).getFirst(),
                "PolicyDocument",
                "Statement"));
        assertThat(grants)
                .singleElement()
                .satisfies(grant ->
                        assertThat(grant).containsEntry("Action", "sns:Publish").containsEntry("Resource", "page"));
    }

    @Test
    void tooFewRunningTasksPagesAfterFiveMinutes() {
        Map<String, Object> alarm = map(template, "Resources", "RunningTasksBelowMinimumAlarm", "Properties");
        assertThat(alarm)
                .containsEntry("Namespace", "ECS/ContainerInsights")
                .containsEntry("MetricName", "RunningTaskCount")
                .containsEntry("Threshold", Map.of("Ref", "MinTasks"))
                .containsEntry("ComparisonOperator", "LessThanThreshold")
                .containsEntry("TreatMissingData", "breaching")
                .containsEntry("DatapointsToAlarm", alarm.get("EvaluationPeriods"));
        assertThat((int) alarm.get("Period") * (int) alarm.get("EvaluationPeriods"))
                .isEqualTo(300);
        assertThat(maps(list(alarm, "Dimensions")))
                .containsExactly(
                        Map.of("Name", "ClusterName", "Value", Map.of("Ref", "Cluster")),
                        Map.of("Name", "ServiceName", "Value", Map.of("Fn::GetAtt", "Service.Name")));
        assertThat(map(template, "Parameters", "MinTasks").get("MinValue"))
                .as("a threshold of at least 2: one task lost already pages")
                .isEqualTo(2);
    }

    @Test
    void deadLettersKeptForSixDaysPageWhateverTheirReceiveCounts() {
        for (String queue : List.of("DeadLetterQueue", "RuleDeadLetterQueue")) {
            String name = queue.replace("DeadLetterQueue", "DeadLettersKeptAlarm");
            Map<String, Object> alarm = resource(name);
            int retention = (int) at(template, "Resources", queue, "Properties", "MessageRetentionPeriod");
            Map<String, Map<String, Object>> metrics = maps(list(alarm, "Metrics")).stream()
                    .collect(Collectors.toMap(metric -> (String) metric.get("Id"), metric -> metric));
            // every message in the queue, visible or held by a reader (SQS's age leaves out those received 3 times)
            assertThat(metrics.values().stream()
                            .filter(metric -> metric.containsKey("MetricStat"))
                            .map(metric -> at(metric, "MetricStat", "Metric", "MetricName")))
                    .containsExactlyInAnyOrder(
                            "ApproximateNumberOfMessagesVisible", "ApproximateNumberOfMessagesNotVisible");
            metrics.values().stream()
                    .filter(metric -> metric.containsKey("MetricStat"))
                    .forEach(metric -> assertThat(maps(list(metric, "MetricStat", "Metric", "Dimensions")))
                            .containsExactly(
                                    Map.of("Name", "QueueName", "Value", Map.of("Fn::GetAtt", queue + ".QueueName"))));
            assertThat(metrics.get("kept").get("Expression")).isEqualTo("FILL(visible, 0) + FILL(held, 0)");
            int period = (int) at(metrics.get("visible"), "MetricStat", "Period");
            int window = period * (int) alarm.get("EvaluationPeriods");
            assertThat(alarm)
                    .containsEntry("DatapointsToAlarm", alarm.get("EvaluationPeriods"))
                    .containsEntry("Threshold", 0)
                    .containsEntry("ComparisonOperator", "GreaterThanThreshold");
            assertThat(window)
                    .as("%s: not empty for the whole window, which leaves a week or more of SQS's retention", queue)
                    .isLessThanOrEqualTo(retention - 7 * 86_400)
                    .as("CloudWatch evaluates at most 7 days")
                    .isLessThanOrEqualTo(7 * 86_400)
                    .isGreaterThanOrEqualTo(86_400);
            assertThat(list(alarm, "AlarmActions")).containsExactly(Map.of("Ref", "PageTopic"));
        }
    }

    @Test
    void deploymentsRollBackOnAFailureRateOverTwoPeriodsNotOnOneFailure() {
        assertThat(list(resource("Service"), "DeploymentConfiguration", "Alarms", "AlarmNames"))
                .containsExactlyInAnyOrder(Map.of("Ref", "FailedEventsAlarm"), Map.of("Ref", "FailedFollowUpsAlarm"));
        for (String name : List.of("FailedEventsAlarm", "FailedFollowUpsAlarm")) {
            Map<String, Object> alarm = resource(name);
            assertThat(alarm).as(name).containsEntry("EvaluationPeriods", 2).containsEntry("DatapointsToAlarm", 2);
        }

        Map<String, Object> failedEvents = resource("FailedEventsAlarm");
        Map<String, Map<String, Object>> metrics = maps(list(failedEvents, "Metrics")).stream()
                .collect(Collectors.toMap(metric -> (String) metric.get("Id"), metric -> metric));
        Map<String, Object> rate = metrics.values().stream()
                .filter(metric -> Boolean.TRUE.equals(metric.get("ReturnData")))
                .findFirst()
                .orElseThrow();
        assertThat((String) rate.get("Expression")).isEqualTo("100 * FILL(failed, 0) / processed");
        assertThat(failedEvents).containsEntry("Threshold", 1);

        Map<String, Object> failedFollowUps = resource("FailedFollowUpsAlarm");
        Map<String, Map<String, Object>> followUpMetrics = maps(list(failedFollowUps, "Metrics")).stream()
                .collect(Collectors.toMap(metric -> (String) metric.get("Id"), metric -> metric));
        assertThat(followUpMetrics.values().stream()
                        .filter(metric -> Boolean.TRUE.equals(metric.get("ReturnData")))
                        .map(metric -> metric.get("Expression")))
                .containsExactly("100 * FILL(failed, 0) / (FILL(emitted, 0) + FILL(failed, 0))");
        assertThat(failedFollowUps).containsEntry("Threshold", 1);

        // each MetricStat names a series the service publishes, with exactly its dimensions
        Map<String, Set<Map<String, String>>> published = publishedSeries();
        Map<String, Map<String, Object>> stats = new TreeMap<>();
        metrics.forEach((id, metric) -> stats.put("events/" + id, metric));
        followUpMetrics.forEach((id, metric) -> stats.put("follow-ups/" + id, metric));
        stats.values().removeIf(metric -> !metric.containsKey("MetricStat"));
        assertThat(stats).hasSize(4);
        for (String id : stats.keySet()) {
            Map<String, Object> metric = map(stats.get(id), "MetricStat", "Metric");
            TemplateEvaluation stack = stack(Map.of("Env", "dev"));
            Map<String, String> dimensions = dimensions(stack.value(metric.get("Dimensions")));
            assertThat(stack.value(metric.get("Namespace"))).isEqualTo("EventPersister");
            assertThat(published.get((String) metric.get("MetricName")))
                    .as("%s: %s", id, metric.get("MetricName"))
                    .contains(dimensions);
            assertThat(dimensions).containsEntry("env", "dev");
        }
    }

    // ---------------------------------------------------------------- helpers

    /** Metric name -> each series' dimensions, as Micrometer's CloudWatch registry publishes the service's meters. */
    private static Map<String, Set<Map<String, String>>> publishedSeries() {
        // application.yml's common tag, env: ${persister.env}
        List<MetricDatum> data = CloudWatchPublication.of(Map.of("env", "dev"), metrics -> {
            metrics.failed();
            metrics.stored("2026-11-27T10:00:00.000Z", Instant.parse("2026-11-27T10:00:01Z"));
            metrics.processed(metrics.startProcessing());
            FollowUp followUp = new FollowUp("id", "ValidatableEvent", "s", "{}", "cause", "rule", null);
            metrics.followUpListener().emitted(followUp);
            metrics.followUpListener().failed(followUp);
        });
        Map<String, Set<Map<String, String>>> published = new TreeMap<>();
        data.forEach(datum -> published
                .computeIfAbsent(datum.metricName(), key -> new java.util.HashSet<>())
                .add(datum.dimensions().stream().collect(Collectors.toMap(Dimension::name, Dimension::value))));
        return published;
    }

    private static String deploymentEvent(String service, String eventName) {
        return """
                {"version": "0", "id": "ddca6449-b258-46c0-8653-e0e3a6d0468b",
                 "detail-type": "ECS Deployment State Change", "source": "aws.ecs", "account": "123456789012",
                 "time": "2026-12-05T10:00:00Z", "region": "eu-west-1", "resources": ["%s"],
                 "detail": {"eventType": "ERROR", "eventName": "%s",
                            "deploymentId": "ecs-svc/123", "updatedAt": "2026-12-05T10:00:00Z",
                            "reason": "ECS deployment circuit breaker: tasks failed to start."}}
                """.formatted(service, eventName);
    }

    private Map<String, Map<String, Object>> alarms() {
        Map<String, Map<String, Object>> alarms = new TreeMap<>();
        map(template, "Resources").forEach((name, resource) -> {
            if ("AWS::CloudWatch::Alarm".equals(at(resource, "Type"))) {
                Map<String, Object> properties = map(resource, "Properties");
                String alarmName = (String) at(properties, "AlarmName", "Fn::Sub");
                assertThat(alarmName).startsWith("event-persister-${Env}-");
                alarms.put(alarmName.substring("event-persister-${Env}-".length()), properties);
            }
        });
        return alarms;
    }

    private static Map<String, String> dimensions(Object list) {
        return maps(list).stream().collect(Collectors.toMap(dimension -> (String) dimension.get("Name"), dimension ->
                (String) dimension.get("Value")));
    }

    private TemplateEvaluation stack(Map<String, String> given) {
        return new TemplateEvaluation(template, EcsTemplateParameterTests.parameters(given), REGION);
    }

    private Map<String, Object> resource(String name) {
        return map(template, "Resources", name, "Properties");
    }

    private static Set<String> union(Set<String> first, Set<String> second) {
        Set<String> all = new java.util.TreeSet<>(first);
        all.addAll(second);
        return all;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> maps(Object values) {
        return ((List<Object>) values)
                .stream().map(value -> (Map<String, Object>) value).toList();
    }
}
