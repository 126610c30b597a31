package com.kahula.eventpersister;

import static org.assertj.core.api.Assertions.assertThat;

import com.kahula.eventpersister.support.RepositoryFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** A class a maintainer reads in one sitting: no main source file of any module is longer than 250 lines. */
class SourceSizeTests {

    private static final int MAX_LINES = 250;
    private static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");

    @Test
    void noMainSourceFileOfAnyModuleIsLongerThanAMaintainerReadsInOneSitting() throws IOException {
        List<String> modules = modules();
        assertThat(modules).contains("service", "tools/embedded-aws", "tools/bench");
        Map<String, Integer> tooLong = new TreeMap<>();
        for (String module : modules) {
            Path sources = RepositoryFiles.of(module).resolve("src/main/java");
            if (!Files.isDirectory(sources)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(sources)) {
                files.filter(path -> path.toString().endsWith(".java")).forEach(path -> {
                    int lines = lines(path);
                    if (lines > MAX_LINES) {
                        tooLong.put(RepositoryFiles.root().relativize(path).toString(), lines);
                    }
                });
            }
        }
        assertThat(tooLong)
                .as("main source files over %d lines, with their length", MAX_LINES)
                .isEmpty();
    }

    /** The modules the root pom builds, so that a new module is held to the same size without editing this test. */
    private static List<String> modules() throws IOException {
        return MODULE.matcher(Files.readString(RepositoryFiles.of("pom.xml")))
                .results()
                .map(match -> match.group(1).strip())
                .toList();
    }

    private static int lines(Path path) {
        try {
            return Files.readAllLines(path).size();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
