package com.kahula.eventpersister.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.aot.AotDetector;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotContribution;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;

/**
 * The settings that Spring AOT fixes at build time, recorded then and checked on every start that runs the AOT code.
 *
 * <p>The build runs Spring AOT for the {@code ecs} profile ({@code process-aot} in pom.xml): it evaluates every
 * condition once and writes the bean definitions as code. A JVM started with {@code -Dspring.aot.enabled=true} (the
 * ECS task definition) runs that code: it starts sooner, but its profile and every property that switches a bean on or
 * off are the build's, whatever the start says. Rather than ignore a different value silently, a start on that path
 * compares each of them with the build's record and refuses to start, naming every property that differs. Starts
 * without {@code spring.aot.enabled} (compose, the tests, {@code spring-boot:test-run}) evaluate the conditions as
 * usual and are not checked.
 */
public final class SpringAotSwitches {

    /** The build's record, written by {@link Recorder} and read by {@link Guard}, in the jar. */
    static final String RECORD = "META-INF/event-persister/spring-aot-switches.properties";

    /** The profiles the AOT code was generated for, comma-separated, under this key of the record. */
    static final String PROFILES = "spring.profiles.active";

    /**
     * The properties whose value decides whether a bean of this service exists, and how each is compared. Every
     * {@code @ConditionalOnProperty} of this service is here (a test holds it so), and the framework's switches a user
     * of this service may set: the web server, virtual threads, the actuator's endpoints and port, the CloudWatch
     * export, spring-cloud-aws's integrations.
     */
    static final Map<String, Comparison> SWITCHES = switches();

    private static Map<String, Comparison> switches() {
        Map<String, Comparison> switches = new TreeMap<>();
        for (String key : List.of(
                "persister.provisioning.enabled",
                "spring.main.web-application-type",
                "spring.threads.virtual.enabled",
                "spring.autoconfigure.exclude",
                "spring.cloud.aws.sqs.enabled",
                "spring.cloud.aws.dynamodb.enabled",
                "spring.cloud.aws.s3.enabled",
                "management.server.port",
                "management.endpoints.web.exposure.include",
                "management.endpoints.web.exposure.exclude",
                "management.endpoint.health.probes.enabled",
                "management.defaults.metrics.export.enabled",
                "management.cloudwatch.metrics.export.enabled")) {
            switches.put(key, Comparison.VALUE);
        }
        // set in the ecs profile, replaced by the stack's own namespace: its presence is what turns the export on
        switches.put("management.cloudwatch.metrics.export.namespace", Comparison.PRESENCE);
        return Collections.unmodifiableMap(switches);
    }

    /** How a switch's value at run time is held against the build's. */
    enum Comparison {
        /** The same value, or unset in both. */
        VALUE,
        /** Set in both, or unset in both; the value is read at run time. */
        PRESENCE;

        @Nullable
        String recorded(@Nullable String value) {
            return this == PRESENCE && value != null ? "(set)" : value;
        }
    }

    private SpringAotSwitches() {}

    /** What the build records: the active profiles and each switch as its comparison keeps it. */
    static Properties record(Environment environment) {
        Properties record = new Properties();
        record.setProperty(PROFILES, String.join(",", environment.getActiveProfiles()));
        SWITCHES.forEach((key, comparison) -> {
            String value = comparison.recorded(value(environment, key));
            if (value != null) {
                record.setProperty(key, value);
            }
        });
        return record;
    }

    /**
     * Each difference between the build's record and this start's environment, as a sentence that names the property;
     * empty when this start is the one the AOT code was made for.
     */
    static List<String> differences(Properties record, Environment environment) {
        List<String> differences = new ArrayList<>();
        String built = record.getProperty(PROFILES, "");
        Set<String> builtProfiles = new TreeSet<>(Arrays.asList(built.split(",")));
        builtProfiles.remove("");
        Set<String> profiles = new TreeSet<>(Arrays.asList(environment.getActiveProfiles()));
        if (!profiles.equals(builtProfiles)) {
            differences.add("%s: the active profiles are %s, but the AOT code was built for %s only"
                    .formatted(PROFILES, profiles, builtProfiles));
        }
        SWITCHES.forEach((key, comparison) -> {
            String now = comparison.recorded(value(environment, key));
            String then = record.getProperty(key);
            if (now == null ? then != null : !now.equals(then)) {
                differences.add("%s: is %s here, but was %s when the AOT code was built"
                        .formatted(key, shown(now), shown(then)));
            }
        });
        return differences;
    }

    /**
     * The property's value as Spring binds it, a list joined with commas: a list given indexed (YAML) or
     * comma-separated (an environment variable) reads the same.
     */
    private static @Nullable String value(Environment environment, String key) {
        return Binder.get(environment)
                .bind(key, Bindable.listOf(String.class))
                .map(values -> String.join(",", values))
                .orElse(null);
    }

    private static String shown(@Nullable String value) {
        if (value == null) {
            return "unset";
        }
        // a switch's value is short; bounded all the same, as every logged value
        String bounded = value.length() > 80 ? value.substring(0, 80) + "..." : value;
        return "'" + bounded + "'";
    }

    /**
     * At build time, in Spring AOT's processing of the context: writes the record into the generated resources,
     * which the build puts into the jar beside the generated code.
     */
    public static final class Recorder implements BeanFactoryInitializationAotProcessor {

        @Override
        public BeanFactoryInitializationAotContribution processAheadOfTime(
                ConfigurableListableBeanFactory beanFactory) {
            Environment environment =
                    beanFactory.getBean(ConfigurableApplicationContext.ENVIRONMENT_BEAN_NAME, Environment.class);
            Properties record = record(environment);
            return (generationContext, code) -> {
                StringWriter text = new StringWriter();
                try {
                    record.store(text, null);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                // without store's date line, so that the same build makes the same jar
                String entries = text.toString()
                        .lines()
                        .filter(line -> !line.startsWith("#"))
                        .collect(Collectors.joining("\n", "", "\n"));
                generationContext
                        .getGeneratedFiles()
                        .addResourceFile(
                                RECORD,
                                "# The profiles and bean switches the Spring AOT code was built with"
                                        + " (config/SpringAotSwitches)\n" + entries);
            };
        }
    }

    /**
     * At run time, once the environment is complete (profiles and every property source): a start that runs the AOT
     * code with another profile or another switch stops here, before any bean is made.
     */
    public static final class Guard implements EnvironmentPostProcessor, Ordered {

        @Override
        public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
            if (!AotDetector.useGeneratedArtifacts()) {
                return;
            }
            List<String> differences = differences(readRecord(), environment);
            if (!differences.isEmpty()) {
                throw new IllegalStateException(
                        "This start runs the Spring AOT code (spring.aot.enabled=true; SPRING_AOT_ENABLED=true in the"
                                + " image), whose beans were fixed when it was built, and differs from that build: "
                                + String.join("; ", differences)
                                + ". Start without spring.aot.enabled to run with these settings.");
            }
        }

        private static Properties readRecord() {
            Properties record = new Properties();
            try (InputStream in = SpringAotSwitches.class.getClassLoader().getResourceAsStream(RECORD)) {
                if (in == null) {
                    throw new IllegalStateException("spring.aot.enabled=true, but the jar holds no " + RECORD
                            + ": it was not built by" + " this project's process-aot");
                }
                record.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return record;
        }

        @Override
        public int getOrder() {
            return Ordered.LOWEST_PRECEDENCE;
        }
    }
}
