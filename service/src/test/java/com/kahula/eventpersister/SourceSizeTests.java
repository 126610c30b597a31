package com.kahula.eventpersister;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** A class a maintainer reads in one sitting: no source file of the service is longer than 250 lines. */
class SourceSizeTests {

    private static final int MAX_LINES = 250;

    @Test
    void noSourceFileOfTheServiceIsLongerThanAMaintainerReadsInOneSitting() throws IOException {
        Map<String, Integer> tooLong = new TreeMap<>();
        try (Stream<Path> sources = Files.walk(Path.of("src/main/java"))) {
            sources.filter(path -> path.toString().endsWith(".java")).forEach(path -> {
                int lines = lines(path);
                if (lines > MAX_LINES) {
                    tooLong.put(path.toString(), lines);
                }
            });
        }
        assertThat(tooLong)
                .as("files over %d lines, with their length", MAX_LINES)
                .isEmpty();
    }

    private static int lines(Path path) {
        try {
            return Files.readAllLines(path).size();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
