package com.kahula.eventpersister;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.kahula.eventpersister.event.ParserRejection;
import com.kahula.eventpersister.listener.Outcome;
import com.kahula.eventpersister.observability.PersisterMetrics;
import com.kahula.eventpersister.support.RepositoryFiles;
import com.kahula.eventpersister.toolkit.Toolkit;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Every property, metric, parking reason and toolkit option that README.md and docs/*.md name exists in the code: the
 * properties in the configuration metadata, the metrics in a registry {@link PersisterMetrics} filled, the reasons
 * among the parser's and the store's, the options on the toolkit's picocli commands.
 */
class DocsAgainstCodeTests {

    private static DocsAgainstCode checker;

    @BeforeAll
    static void readTheCode() throws Exception {
        checker = new DocsAgainstCode(properties(), metricTags(), reasons(), options());
    }

    @Test
    void everyNameTheDocsStateExistsInTheCode() throws IOException {
        List<DocsAgainstCode.Mismatch> found = new ArrayList<>();
        for (Path page : pages()) {
            found.addAll(checker.check(RepositoryFiles.root().relativize(page).toString(), Files.readString(page)));
        }

        assertThat(found).as("names in the docs that the code does not have").isEmpty();
    }

    @Test
    void findsAPropertyMetricReasonOrOptionTheCodeDoesNotHave() {
        String page = String.join(
                "\n",
                "Set `persister.listener.poll-timeout` and `persister.nope`.",
                "| metric | type | tags | meaning |",
                "| `persister.followups.nope` | counter | | a metrics row |",
                "",
                "See `persister.events{outcome=stored}` and `persister.events{outcome=nope}`.",
                "Alarm on `persister.events`, `outcome=failed`, and on `persister.followups`, `outcome=nope`.",
                "| reason | the body |",
                "|---|---|",
                "| `not-json`, `nope-reason` | is wrong |",
                "",
                "- `dead-letters show [--reason R]... [--nope-option]`",
                "```",
                "java -jar target/event-persister.jar restore --since T \\",
                "    --until-nope T --reason conflict",
                "aws ecs run-task --cluster c --overrides '{\"command\":[\"dead-letters\",\"--reason\",\"wrong\"]}'",
                "```");

        assertThat(checker.check("docs/toolkit.md", page))
                .extracting(DocsAgainstCode.Mismatch::toString)
                .containsExactly(
                        "docs/toolkit.md:1: no property or metric persister.nope",
                        "docs/toolkit.md:3: no metric persister.followups.nope",
                        "docs/toolkit.md:5: no outcome=nope on persister.events",
                        "docs/toolkit.md:6: no outcome=nope on persister.followups",
                        "docs/toolkit.md:9: no parking reason nope-reason",
                        "docs/toolkit.md:11: no toolkit option --nope-option",
                        "docs/toolkit.md:14: no toolkit option --until-nope",
                        "docs/toolkit.md:15: no parking reason wrong");
    }

    private static List<Path> pages() throws IOException {
        try (Stream<Path> docs = Files.list(RepositoryFiles.of("docs"))) {
            return Stream.concat(
                            Stream.of(RepositoryFiles.of("README.md")),
                            docs.filter(path -> path.toString().endsWith(".md")).sorted())
                    .toList();
        }
    }

    private static Set<String> properties() throws IOException {
        Set<String> names = new TreeSet<>();
        try (InputStream in = DocsAgainstCodeTests.class
                .getClassLoader()
                .getResourceAsStream("META-INF/spring-configuration-metadata.json")) {
            JsonNode metadata = new ObjectMapper().readTree(in);
            for (String kind : List.of("groups", "properties")) {
                metadata.path(kind)
                        .forEach(entry -> names.add(entry.path("name").asText()));
            }
        }
        return names;
    }

    /** Metric name to tag key to the values seen, from every meter the service registers. */
    private static Map<String, Map<String, Set<String>>> metricTags() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        PersisterMetrics metrics = new PersisterMetrics(registry, List.of("SomeFollowUp"));
        metrics.marksQueued(() -> 0);
        metrics.listenerPaused(() -> false);
        metrics.pendingOldest(() -> Duration.ZERO);
        ExecutionAttributes call = new ExecutionAttributes();
        call.putAttribute(SdkExecutionAttribute.SERVICE_NAME, "DynamoDb");
        call.putAttribute(SdkExecutionAttribute.OPERATION_NAME, "PutItem");
        metrics.awsCalls().beforeExecution(null, call);
        metrics.awsCalls().afterExecution(null, call);
        metrics.awsCalls().onExecutionFailure(null, call);
        Map<String, Map<String, Set<String>>> tags = new TreeMap<>();
        for (Meter meter : registry.getMeters()) {
            Map<String, Set<String>> ofName = tags.computeIfAbsent(meter.getId().getName(), name -> new TreeMap<>());
            for (Tag tag : meter.getId().getTags()) {
                ofName.computeIfAbsent(tag.getKey(), key -> new TreeSet<>()).add(tag.getValue());
            }
        }
        return tags;
    }

    private static Set<String> reasons() throws ReflectiveOperationException {
        Set<String> reasons = new TreeSet<>(List.of(Outcome.Conflict.REASON, Outcome.StoreRejected.REASON));
        Stream.of(ParserRejection.values()).map(ParserRejection::code).forEach(reasons::add);
        // the toolkit's name for a message the queue's redrive policy moved, which carries no reason
        var exhausted =
                Class.forName("com.kahula.eventpersister.toolkit.DeadLetter").getDeclaredField("RETRIES_EXHAUSTED");
        exhausted.setAccessible(true);
        reasons.add((String) exhausted.get(null));
        return reasons;
    }

    private static Set<String> options() {
        Set<String> options = new TreeSet<>();
        List<CommandSpec> specs = new ArrayList<>(List.of(new CommandLine(Toolkit.class).getCommandSpec()));
        while (!specs.isEmpty()) {
            CommandSpec spec = specs.removeLast();
            for (OptionSpec option : spec.options()) {
                options.addAll(List.of(option.names()));
            }
            spec.subcommands().values().forEach(sub -> specs.add(sub.getCommandSpec()));
        }
        return options;
    }
}
