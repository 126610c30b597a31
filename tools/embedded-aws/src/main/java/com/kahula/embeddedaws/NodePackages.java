package com.kahula.embeddedaws;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where install.sh puts a Node.js emulator, tools/embedded-aws/{name}/node_modules/{name}, found from the directory of
 * any module of the build; the system property {name}.dir points elsewhere.
 */
final class NodePackages {

    static final String INSTALL =
            "run './mvnw -pl tools/embedded-aws generate-resources' (tools/embedded-aws/install.sh:" + " npm ci)";

    private NodePackages() {}

    static Path installed(String name) {
        String configured = System.getProperty(name + ".dir");
        if (configured != null) {
            return Path.of(configured).toAbsolutePath();
        }
        Path relative = Path.of("tools", "embedded-aws", name, "node_modules", name);
        Path start = Path.of("").toAbsolutePath();
        for (Path directory = start; directory != null; directory = directory.getParent()) {
            if (Files.isDirectory(directory.resolve(relative))) {
                return directory.resolve(relative);
            }
        }
        return start.resolve(relative);
    }
}
