package com.kahula.eventpersister.deployment;

import static com.kahula.eventpersister.support.CloudFormationYaml.at;
import static com.kahula.eventpersister.support.CloudFormationYaml.list;
import static com.kahula.eventpersister.support.CloudFormationYaml.map;
import static org.assertj.core.api.Assertions.assertThat;

import com.kahula.eventpersister.support.CloudFormationYaml;
import com.kahula.eventpersister.support.CloudWatchPublication;
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

    private static final Path TEMPLATE = Path.of("ecs/event-persister.yml");
    private static final String REGION = "eu-west-1";

    /** Alarms that wake someone: events late, lost or about to expire, or the service down. */
    private static final Set<String> PAGES = Set.of(
            "oldest-message-age",
            "running-tasks-below-minimum",
            "rule-lost-events",
            "archive-freshness",
            "oldest-pending-follow-up",
            "dead-letter-age",
            "rule-dead-letter-age");

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
    void theTopicsTakeOnlyThisEnvironmentsAlarmsAndTheDeploymentRule() {
        TemplateEvaluation stack = stack(Map.of()).with("PageTopic", "page").with("NoticeTopic", "notice");
        List<Map<String, Object>> statements = maps(at(
                stack.value(map(template, "Resources", "AlarmTopicsPolicy", "Properties")),
                "PolicyDocument",
                "Statement"));
        Map<String, Object> alarms = statements.stream()
                .filter(statement -> "cloudwatch.amazonaws.com".equals(at(statement, "Principal", "Service")))
                .findFirst()
                .orElseThrow();
        String alarmArns = (String) at(alarms, "Condition", "ArnLike", "aws:SourceArn");
        for (Map<String, Object> alarm : alarms().values()) {
            String arn = "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:" + stack.value(alarm.get("AlarmName"));
            assertThat(arn).as("an alarm of this stack may publish").matches(glob(alarmArns));
        }
        assertThat("arn:aws:cloudwatch:eu-west-1:123456789012:alarm:event-persister-staging-dead-letters")
                .as("another environment's alarm may not")
                .doesNotMatch(glob(alarmArns));
        assertThat(at(alarms, "Condition", "StringEquals", "aws:SourceAccount")).isEqualTo("123456789012");

        Map<String, Object> rule = statements.stream()
                .filter(statement -> "events.amazonaws.com".equals(at(statement, "Principal", "Service")))
                .findFirst()
                .orElseThrow();
        assertThat(rule.get("Resource")).as("the page topic alone").isEqualTo("page");
        assertThat(rule)
                .as("EventBridge refuses a Condition block in an SNS topic policy")
                .doesNotContainKey("Condition");
        assertThat(statements).hasSize(2);
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
        assertThat(maps(stack.property("DeploymentFailedRule", "Targets")))
                .singleElement()
                .satisfies(target -> assertThat(target.get("Arn")).isEqualTo("page"));
        assertThat(map(template, "Resources", "DeploymentFailedRule")).doesNotContainKey("Condition");
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
    void deadLettersPageWellBeforeSqsDropsThem() {
        for (String queue : List.of("DeadLetterQueue", "RuleDeadLetterQueue")) {
            String alarmName = queue.replace("Queue", "") + "AgeAlarm";
            Map<String, Object> alarm = map(template, "Resources", alarmName, "Properties");
            int retention = (int) at(template, "Resources", queue, "Properties", "MessageRetentionPeriod");
            assertThat(alarm)
                    .containsEntry("MetricName", "ApproximateAgeOfOldestMessage")
                    .containsEntry("ComparisonOperator", "GreaterThanThreshold");
            assertThat(maps(list(alarm, "Dimensions")).getFirst())
                    .containsEntry("Value", Map.of("Fn::GetAtt", queue + ".QueueName"));
            assertThat((int) alarm.get("Threshold"))
                    .as("%s: a week or more to act before the retention ends", queue)
                    .isLessThanOrEqualTo(retention - 7 * 86_400)
                    .isGreaterThan(86_400);
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

        // each MetricStat names a series the service publishes, with exactly its dimensions
        Map<String, Set<Map<String, String>>> published = publishedSeries();
        for (String id : List.of("failed", "processed")) {
            Map<String, Object> metric = map(metrics.get(id), "MetricStat", "Metric");
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

    /** An IAM ArnLike pattern as a regular expression. */
    private static String glob(String pattern) {
        return java.util.regex.Pattern.quote(pattern).replace("*", "\\E.*\\Q").replace("?", "\\E.\\Q");
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
