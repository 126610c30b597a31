package com.kahula.eventpersister.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.mock.env.MockEnvironment;

/** What the build records of the Spring AOT code's profile and bean switches, and how a start is held against it. */
class SpringAotSwitchesTests {

    @Test
    void aStartLikeTheBuildHasNoDifference() {
        Properties record = SpringAotSwitches.record(ecs());

        assertThat(SpringAotSwitches.differences(record, ecs())).isEmpty();
    }

    @Test
    void theRecordHoldsTheProfilesAndOnlyTheSwitchesThatAreSet() {
        Properties record = SpringAotSwitches.record(ecs().withProperty("persister.table.name", "kahula-events-dev"));

        assertThat(record)
                .containsEntry("spring.profiles.active", "ecs")
                .containsEntry("spring.threads.virtual.enabled", "true")
                .containsEntry("management.cloudwatch.metrics.export.namespace", "(set)")
                .doesNotContainKey("persister.provisioning.enabled")
                .doesNotContainKey("persister.table.name");
    }

    @Test
    void anotherActiveProfileIsADifferenceThatNamesTheProfileProperty() {
        Properties record = SpringAotSwitches.record(ecs());
        MockEnvironment local = ecs();
        local.setActiveProfiles("ecs", "local");

        assertThat(SpringAotSwitches.differences(record, local))
                .singleElement()
                .asString()
                .startsWith("spring.profiles.active: ")
                .contains("[ecs, local]");
    }

    @Test
    void aSwitchSetOnlyAtRunTimeIsADifferenceThatNamesIt() {
        Properties record = SpringAotSwitches.record(ecs());

        assertThat(SpringAotSwitches.differences(record, ecs().withProperty("persister.provisioning.enabled", "true")))
                .containsExactly("persister.provisioning.enabled: is 'true' here, but was unset when the AOT code was"
                        + " built");
    }

    @Test
    void aSwitchWithAnotherValueOrUnsetAtRunTimeIsADifference() {
        Properties record = SpringAotSwitches.record(ecs());
        MockEnvironment noVirtualThreads = ecs().withProperty("spring.threads.virtual.enabled", "false");
        MockEnvironment exposureUnset = new MockEnvironment()
                .withProperty("spring.threads.virtual.enabled", "true")
                .withProperty("management.cloudwatch.metrics.export.namespace", "EventPersister");
        exposureUnset.setActiveProfiles("ecs");

        assertThat(SpringAotSwitches.differences(record, noVirtualThreads))
                .containsExactly("spring.threads.virtual.enabled: is 'false' here, but was 'true' when the AOT code was"
                        + " built");
        assertThat(SpringAotSwitches.differences(record, exposureUnset))
                .singleElement()
                .asString()
                .startsWith("management.endpoints.web.exposure.include: is unset here, but was 'health,info'");
    }

    @Test
    void theMetricsNamespaceMayChangeButNotDisappear() {
        Properties record = SpringAotSwitches.record(ecs());
        MockEnvironment otherNamespace =
                ecs().withProperty("management.cloudwatch.metrics.export.namespace", "Team/EventPersister");
        MockEnvironment noNamespace = new MockEnvironment()
                .withProperty("spring.threads.virtual.enabled", "true")
                .withProperty("management.endpoints.web.exposure.include", "health,info");
        noNamespace.setActiveProfiles("ecs");

        assertThat(SpringAotSwitches.differences(record, otherNamespace)).isEmpty();
        assertThat(SpringAotSwitches.differences(record, noNamespace))
                .containsExactly("management.cloudwatch.metrics.export.namespace: is unset here, but was '(set)' when"
                        + " the AOT code was built");
    }

    @Test
    void aListReadsTheSameIndexedOrCommaSeparated() {
        MockEnvironment indexed = ecs().withProperty("spring.autoconfigure.exclude[0]", "org.example.A")
                .withProperty("spring.autoconfigure.exclude[1]", "org.example.B");
        Properties record = SpringAotSwitches.record(indexed);

        assertThat(record).containsEntry("spring.autoconfigure.exclude", "org.example.A,org.example.B");
        assertThat(SpringAotSwitches.differences(
                        record, ecs().withProperty("spring.autoconfigure.exclude", "org.example.A,org.example.B")))
                .isEmpty();
        assertThat(SpringAotSwitches.differences(
                        record, ecs().withProperty("spring.autoconfigure.exclude", "org.example.A")))
                .singleElement()
                .asString()
                .startsWith("spring.autoconfigure.exclude: is 'org.example.A' here");
    }

    @Test
    void aLongValueIsShownCut() {
        Properties record = SpringAotSwitches.record(ecs());
        String exclusions = "org.example.SomeAutoConfiguration,".repeat(10);

        assertThat(SpringAotSwitches.differences(
                        record, ecs().withProperty("spring.autoconfigure.exclude", exclusions)))
                .singleElement()
                .asString()
                .contains("'" + exclusions.substring(0, 80) + "...'")
                .doesNotContain(exclusions);
    }

    @Test
    void theGuardLetsEveryStartWithoutTheAotCodeThrough() {
        MockEnvironment local = ecs().withProperty("persister.provisioning.enabled", "true");
        local.setActiveProfiles("local");

        assertThatCode(() -> new SpringAotSwitches.Guard().postProcessEnvironment(local, new SpringApplication()))
                .doesNotThrowAnyException();
    }

    @Test
    void everyPropertyThatSwitchesOneOfTheServicesBeansIsASwitch() {
        List<String> conditionalProperties = new ArrayList<>();
        for (JavaClass type : new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("com.kahula.eventpersister")) {
            Stream.concat(
                            type.tryGetAnnotationOfType(ConditionalOnProperty.class).stream(),
                            type.getMethods().stream()
                                    .flatMap(method ->
                                            method.tryGetAnnotationOfType(ConditionalOnProperty.class).stream()))
                    .forEach(condition -> conditionalProperties.addAll(names(condition)));
        }

        assertThat(conditionalProperties).isNotEmpty();
        assertThat(SpringAotSwitches.SWITCHES.keySet()).containsAll(conditionalProperties);
    }

    private static List<String> names(ConditionalOnProperty condition) {
        String prefix = condition.prefix().isEmpty() ? "" : condition.prefix() + ".";
        return Stream.concat(Stream.of(condition.name()), Stream.of(condition.value()))
                .map(name -> prefix + name)
                .toList();
    }

    /** The environment of the ecs profile as application.yml gives it, reduced to the switches it sets. */
    private static MockEnvironment ecs() {
        MockEnvironment environment = new MockEnvironment()
                .withProperty("spring.threads.virtual.enabled", "true")
                .withProperty("management.endpoints.web.exposure.include", "health,info")
                .withProperty("management.cloudwatch.metrics.export.namespace", "EventPersister");
        environment.setActiveProfiles("ecs");
        return environment;
    }
}
