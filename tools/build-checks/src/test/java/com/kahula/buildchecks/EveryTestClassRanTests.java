package com.kahula.buildchecks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;

/** Which classes the build check expects a report of, and that a class without one fails it by name. */
class EveryTestClassRanTests {

    /** Test classes as a project might write them, compiled into a folder of their own. */
    private static final Map<String, String> SOURCES = Map.of(
            "fixture/PlainTests.java",
            "package fixture; class PlainTests { @org.junit.jupiter.api.Test void runs() {} }",
            "fixture/OddlyNamedProperties.java",
            """
            package fixture;
            class OddlyNamedProperties {
                @org.junit.jupiter.params.ParameterizedTest
                @org.junit.jupiter.params.provider.ValueSource(ints = {1, 2})
                void holds(int input) {}
            }
            """,
            "fixture/AbstractScenarios.java",
            "package fixture; abstract class AbstractScenarios { @org.junit.jupiter.api.Test void inherited() {} }",
            "fixture/InheritingIT.java",
            "package fixture; class InheritingIT extends AbstractScenarios {}",
            "fixture/ScenarioInterface.java",
            "package fixture; interface ScenarioInterface { @org.junit.jupiter.api.Test default void fromInterface() {} }",
            "fixture/OnlyNestedTests.java",
            """
            package fixture;
            class OnlyNestedTests {
                @org.junit.jupiter.api.Nested
                class Inner { @org.junit.jupiter.api.Test void runs() {} }
            }
            """,
            "fixture/NotATest.java",
            "package fixture; class NotATest { void helper() {} }");

    @TempDir
    static Path sources;

    @TempDir
    static Path classes;

    @TempDir
    Path surefire;

    @TempDir
    Path failsafe;

    @BeforeAll
    static void compileFixtures() throws IOException {
        List<String> arguments = new ArrayList<>(List.of(
                "-d",
                classes.toString(),
                "-classpath",
                jarOf(Test.class) + java.io.File.pathSeparator + jarOf(ParameterizedTest.class)));
        for (Map.Entry<String, String> source : SOURCES.entrySet()) {
            Path file = sources.resolve(source.getKey());
            Files.createDirectories(file.getParent());
            Files.writeString(file, source.getValue());
            arguments.add(file.toString());
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        assertThat(javac.run(null, diagnostics, diagnostics, arguments.toArray(String[]::new)))
                .as("fixtures compile: %s", diagnostics)
                .isZero();
    }

    @Test
    void expectsAReportOfEveryConcreteClassWithTestsWhateverItsName() {
        assertThat(EveryTestClassRan.testClasses(classes))
                .containsExactly(
                        "fixture.InheritingIT",
                        "fixture.OddlyNamedProperties",
                        "fixture.OnlyNestedTests",
                        "fixture.PlainTests");
    }

    @Test
    void passesWhenEachClassHasAReportWithATestInEitherFolder() throws IOException {
        report(surefire, "fixture.PlainTests", 1);
        report(surefire, "fixture.OddlyNamedProperties", 2);
        report(surefire, "fixture.OnlyNestedTests", 1);
        report(failsafe, "fixture.InheritingIT", 1);

        assertThat(EveryTestClassRan.notRun(EveryTestClassRan.testClasses(classes), List.of(surefire, failsafe)))
                .isEmpty();
    }

    @Test
    void namesAClassThatNoPatternPickedUp() throws IOException {
        report(surefire, "fixture.PlainTests", 1);
        report(surefire, "fixture.OnlyNestedTests", 1);
        report(failsafe, "fixture.InheritingIT", 1);

        assertThat(EveryTestClassRan.notRun(EveryTestClassRan.testClasses(classes), List.of(surefire, failsafe)))
                .containsExactly("fixture.OddlyNamedProperties");
    }

    @Test
    void namesAClassWhoseReportCountsNoTest() throws IOException {
        report(surefire, "fixture.PlainTests", 0);
        report(surefire, "fixture.OddlyNamedProperties", 2);
        report(surefire, "fixture.OnlyNestedTests", 1);
        report(failsafe, "fixture.InheritingIT", 1);

        assertThat(EveryTestClassRan.notRun(EveryTestClassRan.testClasses(classes), List.of(surefire, failsafe)))
                .containsExactly("fixture.PlainTests");
    }

    @Test
    void listsAClassWhoseEveryTestWasSkippedByAConditionAsRun() throws IOException {
        report(surefire, "fixture.PlainTests", 1);
        report(surefire, "fixture.OddlyNamedProperties", 2);
        report(surefire, "fixture.OnlyNestedTests", 1);
        Files.writeString(
                failsafe.resolve("TEST-fixture.InheritingIT.xml"),
                "<testsuite name=\"fixture.InheritingIT\" tests=\"3\" errors=\"0\" skipped=\"3\" failures=\"0\">"
                        + "</testsuite>");
        SortedSet<String> expected = EveryTestClassRan.testClasses(classes);

        assertThat(EveryTestClassRan.notRun(expected, List.of(surefire, failsafe)))
                .isEmpty();
        assertThat(EveryTestClassRan.allSkipped(expected, List.of(surefire, failsafe)))
                .containsExactly("fixture.InheritingIT");
    }

    @Test
    void findsTheTestClassesOfThisBuild() {
        SortedSet<String> found = EveryTestClassRan.testClasses(Path.of("target/test-classes"));

        // this module's only test class; its nested and helper types hold no tests
        assertThat(found).containsExactly(EveryTestClassRanTests.class.getName());
    }

    private static void report(Path folder, String className, int tests) throws IOException {
        Files.writeString(folder.resolve("TEST-" + className + ".xml"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <testsuite xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" name="%s" time="0.01" tests="%d" \
                errors="0" skipped="0" failures="0">
                </testsuite>
                """.formatted(className, tests));
    }

    private static String jarOf(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain()
                            .getCodeSource()
                            .getLocation()
                            .toURI())
                    .toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
