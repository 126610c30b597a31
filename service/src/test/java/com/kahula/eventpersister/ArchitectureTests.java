package com.kahula.eventpersister;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.kahula.eventpersister.support.DoNotIncludeSpringAotCode;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The shape of the service's main code: the event logic free of frameworks, ports that do not know their wiring, and
 * capabilities that do not import each other in circles.
 */
@AnalyzeClasses(
        packages = "com.kahula.eventpersister",
        importOptions = {ImportOption.DoNotIncludeTests.class, DoNotIncludeSpringAotCode.class})
class ArchitectureTests {

    @ArchTest
    static final ArchRule eventLogicUsesNeitherSpringNorTheAwsSdk = noClasses()
            .that()
            .resideInAPackage("..event..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("org.springframework..", "software.amazon.awssdk..")
            .because("event parsing and hashing are pure logic, tested without a container or AWS");

    @ArchTest
    static final ArchRule followUpRulesUseNeitherSpringNorTheAwsSdk = noClasses()
            .that()
            .resideInAPackage("..followup..")
            .and()
            .haveNameNotMatching(".*\\.EventBridge[^.]*")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("org.springframework..", "software.amazon.awssdk..")
            .because("the follow-up rules and events are pure logic; only the EventBridge adapter talks to AWS");

    @ArchTest
    static final ArchRule capabilitiesDoNotDependOnEachOtherInCircles = slices().matching(
                    "com.kahula.eventpersister.(*)..")
            .should()
            .beFreeOfCycles()
            .because("a package that imports its importer cannot be understood, tested or changed alone");

    @ArchTest
    static final ArchRule capabilitiesDoNotDependOnTheWiring = noClasses()
            .that()
            .resideInAnyPackage("..event..", "..followup..", "..store..", "..listener..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("..config..")
            .because("configuration wires the capabilities, not the other way round");
}
