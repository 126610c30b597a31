package com.kahula.bench;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.kahula.eventpersister.config.ListenerContainerOptions;
import com.kahula.eventpersister.config.PersisterProperties;
import com.kahula.eventpersister.followup.FollowUp;
import com.kahula.eventpersister.followup.FollowUpFactory;
import com.kahula.eventpersister.followup.FollowUpRule;
import com.kahula.eventpersister.followup.FollowUpRules;
import com.kahula.eventpersister.observability.AbandonedRequestWarnings;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** What the benchmark may use of the service, whose classes its pom puts on its class path. */
@AnalyzeClasses(packages = "com.kahula.bench")
class BenchArchitectureTests {

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
                    .and(not(belongToAnyOf(
                            PersisterProperties.class,
                            ListenerContainerOptions.class,
                            AbandonedRequestWarnings.class,
                            FollowUpRules.class,
                            FollowUpRule.class,
                            FollowUpFactory.class,
                            FollowUp.class))))
            .because("the benchmark runs the service as a separate process and shares only its parsing, its follow-up"
                    + " rules and events, its table layout, its provisioning, its settings' defaults, its listener"
                    + " container's options and its filter of Netty's abandoned-request warning, so that every"
                    + " contestant does the same work and logs what the service would; its tests may build items as"
                    + " the service does, to hold the chaos ledger against them");

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
}
