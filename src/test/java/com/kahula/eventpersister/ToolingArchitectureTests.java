package com.kahula.eventpersister;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.kahula.eventpersister.config.PersisterProperties;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * Tooling (the embedded AWS stack, the benchmark, the AOT cache training) lives outside the application's package, so
 * component scanning and main-class lookup can never pick it up, and uses of the service only what the service offers
 * to anyone.
 */
@AnalyzeClasses(
        packages = {"com.kahula.embeddedaws", "com.kahula.bench", "com.kahula.aottraining", "com.kahula.buildchecks"})
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
            .and()
            .haveNameNotMatching(".*(Tests|IT)(\\$.*)?")
            .should()
            .dependOnClassesThat(resideInAnyPackage(
                            "com.kahula.eventpersister",
                            "com.kahula.eventpersister.config..",
                            "com.kahula.eventpersister.listener..",
                            "com.kahula.eventpersister.followup..",
                            "com.kahula.eventpersister.observability..")
                    .and(not(belongToAnyOf(PersisterProperties.class))))
            .because("the benchmark runs the service as a separate process and shares only its parsing, its table"
                    + " layout, its provisioning and its settings' defaults, so that every contestant does the same"
                    + " work; its tests may build items as the service does, to hold the chaos ledger against them");

    @ArchTest
    static final ArchRule theChaosLedgerComputesItsExpectationsWithoutTheService = noClasses()
            .that()
            .haveSimpleNameStartingWith("ChaosLedger")
            .and()
            .haveNameNotMatching(".*Tests(\\$.*)?")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                    "com.kahula.eventpersister.event..",
                    "com.kahula.eventpersister.store..",
                    "com.kahula.eventpersister.followup..")
            .because("a ledger that computed its expectations with the service's code would find the service's bugs on"
                    + " both sides and report nothing");

    @ArchTest
    static final ArchRule theBuildChecksNeedOnlyJUnitAndTheJdk = classes()
            .that()
            .resideInAPackage("com.kahula.buildchecks..")
            .and()
            .haveNameNotMatching(".*Tests(\\$.*)?")
            .should()
            .onlyDependOnClassesThat()
            .resideInAnyPackage("com.kahula.buildchecks..", "java..", "org.junit.platform..")
            .because("the build runs them on its test class path, apart from the service");

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
