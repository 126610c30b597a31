package com.kahula.buildchecks;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClasspathRoots;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Fails the build when a test class was not run: every class in which JUnit's own discovery finds tests, under the test
 * classes folder, must have a Surefire or Failsafe report that counts at least one test. Interfaces and abstract classes
 * are never run on their own and JUnit does not report them; a nested class is reported with its outermost class.
 *
 * <p>Run in the verify phase, after Failsafe's integration tests, on reports written by this build alone (the build
 * empties the report folders before the tests run), so a class left out by a name pattern cannot hide behind an old
 * report. A class whose every test was skipped by a condition (no Docker, an assumption) was run: it is listed, not
 * failed.
 */
public final class EveryTestClassRan {

    private static final Pattern TESTS_ATTRIBUTE = Pattern.compile("<testsuite\\b[^>]*?\\btests=\"(\\d+)\"");
    private static final Pattern SKIPPED_ATTRIBUTE = Pattern.compile("<testsuite\\b[^>]*?\\bskipped=\"(\\d+)\"");

    private EveryTestClassRan() {}

    /** {@code <test classes folder> <report folder>...}: exits 1 naming each test class without a report. */
    public static void main(String[] args) {
        if (args.length < 2) {
            System.err.println("usage: EveryTestClassRan <test classes folder> <report folder>...");
            System.exit(2);
        }
        Path testClasses = Path.of(args[0]);
        List<Path> reports = Arrays.stream(args).skip(1).map(Path::of).toList();
        SortedSet<String> expected = testClasses(testClasses);
        SortedSet<String> notRun = notRun(expected, reports);
        if (!notRun.isEmpty()) {
            System.err.printf(
                    "%d of %d test classes under %s were not run (no report with a test in %s); name them so that"
                            + " Surefire (*Tests) or Failsafe (*IT) runs them:%n",
                    notRun.size(), expected.size(), testClasses, reports);
            notRun.forEach(name -> System.err.println("  " + name));
            System.exit(1);
        }
        SortedSet<String> skipped = allSkipped(expected, reports);
        System.out.printf(
                "Every test class ran: %d classes, each with its report%s.%n",
                expected.size(), skipped.isEmpty() ? "" : "; in " + skipped + " a condition skipped every test");
    }

    /**
     * The outermost classes in which JUnit's engines on the class path discover tests under {@code testClasses}, found
     * as Surefire and Failsafe would find them if no name pattern held them back.
     */
    static SortedSet<String> testClasses(Path testClasses) {
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {url(testClasses)}, previous)) {
            Thread.currentThread().setContextClassLoader(loader);
            TestPlan plan = LauncherFactory.create()
                    .discover(LauncherDiscoveryRequestBuilder.request()
                            .selectors(selectClasspathRoots(Set.of(testClasses)))
                            .build());
            SortedSet<String> classes = new TreeSet<>();
            for (TestIdentifier root : plan.getRoots()) {
                for (TestIdentifier found : plan.getDescendants(root)) {
                    classSource(found)
                            .filter(source -> !plan.getDescendants(found).isEmpty())
                            .ifPresent(source -> classes.add(outermost(source.getClassName())));
                }
            }
            return classes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    /** The classes of {@code expected} that no report in {@code reportFolders} shows run with at least one test. */
    static SortedSet<String> notRun(SortedSet<String> expected, List<Path> reportFolders) {
        SortedSet<String> notRun = new TreeSet<>();
        for (String className : expected) {
            if (reportFolders.stream().noneMatch(folder -> ranTests(folder.resolve("TEST-" + className + ".xml")))) {
                notRun.add(className);
            }
        }
        return notRun;
    }

    /** The classes of {@code expected} whose reports count tests, every one of them skipped. */
    static SortedSet<String> allSkipped(SortedSet<String> expected, List<Path> reportFolders) {
        SortedSet<String> skipped = new TreeSet<>();
        for (String className : expected) {
            for (Path folder : reportFolders) {
                Path report = folder.resolve("TEST-" + className + ".xml");
                if (ranTests(report) && attribute(report, SKIPPED_ATTRIBUTE) == attribute(report, TESTS_ATTRIBUTE)) {
                    skipped.add(className);
                }
            }
        }
        return skipped;
    }

    private static boolean ranTests(Path report) {
        return Files.isRegularFile(report) && attribute(report, TESTS_ATTRIBUTE) > 0;
    }

    private static int attribute(Path report, Pattern attribute) {
        try {
            Matcher value = attribute.matcher(Files.readString(report));
            return value.find() ? Integer.parseInt(value.group(1)) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Optional<ClassSource> classSource(TestIdentifier identifier) {
        return identifier.getSource().filter(ClassSource.class::isInstance).map(ClassSource.class::cast);
    }

    private static String outermost(String className) {
        int nested = className.indexOf('$');
        return nested < 0 ? className : className.substring(0, nested);
    }

    private static URL url(Path folder) {
        try {
            return folder.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException(folder.toString(), e);
        }
    }
}
