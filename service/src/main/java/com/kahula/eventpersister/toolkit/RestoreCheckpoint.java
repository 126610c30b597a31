package com.kahula.eventpersister.toolkit;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.Properties;

/**
 * A restore's progress in a small file: which restore it is (archive, range, shard) and the key of the last object
 * it finished. Written after each object, atomically, so a killed restore leaves the last finished key, never half
 * a file.
 */
final class RestoreCheckpoint {

    private static final String RUN = "restore";
    private static final String LAST_KEY = "last-finished-key";

    private final Path file;
    private final String run;

    RestoreCheckpoint(Path file, String run) {
        this.file = file;
        this.run = run;
    }

    Path file() {
        return file;
    }

    /**
     * The last finished key of this restore, or empty when the file does not exist.
     *
     * @throws IllegalArgumentException when the file is another restore's
     */
    Optional<String> lastFinishedKey() {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        Properties saved = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            saved.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the checkpoint " + file, e);
        }
        if (!run.equals(saved.getProperty(RUN))) {
            throw new IllegalArgumentException("the checkpoint " + file + " is of another restore ("
                    + saved.getProperty(RUN) + "), not of " + run);
        }
        return Optional.ofNullable(saved.getProperty(LAST_KEY));
    }

    void finished(String key) {
        Properties saved = new Properties();
        saved.setProperty(RUN, run);
        saved.setProperty(LAST_KEY, key);
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            try (Writer writer = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
                saved.store(writer, "event-persister restore checkpoint");
            }
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the checkpoint " + file, e);
        }
    }
}
