package com.kahula.eventpersister;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * Tooling (the embedded AWS stack, the benchmark, the AOT cache training) lives outside the application's package, so
 * component scanning and main-class lookup can never pick it up, and uses of the service only what the service offers
 * to anyone.
 */
@AnalyzeClasses(packages = {"com.kahula.embeddedaws", "com.kahula.bench", "com.kahula.aottraining"})
class ToolingArchitectureTests {

    @ArchTest
    static final ArchRule theEmbeddedStackKnowsNothingOfTheService = noClasses()
            .that()
            .resideInAPackage("com.kahula.embeddedaws..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("com.kahula.eventpersister..")
            .because("the embedded stack emulates AWS for any client; the service is one of them");

    @ArchTest
    static final ArchRule theBenchmarkUsesOnlyTheServicesBuildingBlocks = noClasses()
            .that()
            .resideInAPackage("com.kahula.bench..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                    "com.kahula.eventpersister",
                    "com.kahula.eventpersister.config..",
                    "com.kahula.eventpersister.listener..",
                    "com.kahula.eventpersister.followup..",
                    "com.kahula.eventpersister.observability..")
            .because("the benchmark runs the service as a separate process and shares only its parsing, its table"
                    + " layout and its provisioning, so that every contestant does the same work");

    @ArchTest
    static final ArchRule theAotTrainingNeedsOnlyTheJdk = classes()
            .that()
            .resideInAPackage("com.kahula.aottraining..")
            .and()
            .haveNameNotMatching(".*(Tests|IT)(\\$.*)?")
            .should()
            .onlyDependOnClassesThat()
            .resideInAnyPackage("com.kahula.aottraining..", "java..", "com.sun.net.httpserver..")
            .because("the image's build runs it on the JRE alone, with no class path but its own");
}
