package com.kahula.eventpersister.support;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Files of the repository outside the service's module (the templates, the Dockerfile, the compose file, the docs),
 * found from the module's directory or any directory below the repository's root (the one holding mvnw).
 */
public final class RepositoryFiles {

    private RepositoryFiles() {}

    public static Path of(String relative) {
        return root().resolve(relative);
    }

    public static Path root() {
        Path start = Path.of("").toAbsolutePath();
        for (Path directory = start; directory != null; directory = directory.getParent()) {
            if (Files.isRegularFile(directory.resolve("mvnw")) && Files.isDirectory(directory.resolve("service"))) {
                return directory;
            }
        }
        throw new IllegalStateException("no repository root (a directory with mvnw and service/) above " + start);
    }
}
