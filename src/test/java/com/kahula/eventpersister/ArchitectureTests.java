package com.kahula.eventpersister;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** Keeps the event logic free of frameworks so it stays fast to test and to reuse. */
@AnalyzeClasses(packages = "com.kahula.eventpersister", importOptions = ImportOption.DoNotIncludeTests.class)
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
    static final ArchRule portsDoNotKnowTheirAdapters = noClasses()
            .that()
            .resideInAnyPackage("..event..", "..followup..", "..store..", "..listener..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("..config..")
            .because("configuration wires the capabilities, not the other way round");
}
