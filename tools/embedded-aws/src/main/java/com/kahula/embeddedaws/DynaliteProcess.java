package com.kahula.embeddedaws;

import java.net.URI;
import java.nio.file.Files;
import java.util.List;

/** dynalite, the DynamoDB emulator, as a child Node.js process that never outlives this JVM. */
final class DynaliteProcess implements AutoCloseable {

    private static final String INSTALL_HINT =
            NodePackages.INSTALL + " or point" + " -Ddynalite.dir at an installed dynalite 4.x";

    // Instead of dynalite's cli.js: it listens on a port the OS picks (no race for a "free" port), disables node's
    // keep-alive timeout (shorter than the gateway HttpClient's pooling, so a server-side close could race with a
    // reuse and fail a non-idempotent POST), and exits when its stdin closes.
    private static final String LAUNCHER = """
            const server = require(process.argv[1])({createTableMs: 0, deleteTableMs: 0, updateTableMs: 0});
            server.keepAliveTimeout = 0;
            server.listen(0, '127.0.0.1', () => console.log(server.address().port));
            process.stdin.on('end', () => process.exit(0));
            process.stdin.resume();
            """;

    private final NodeProcess process;

    private DynaliteProcess(NodeProcess process) {
        this.process = process;
    }

    static DynaliteProcess start() {
        var dynaliteDir = NodePackages.installed("dynalite");
        if (!Files.isRegularFile(dynaliteDir.resolve("index.js"))) {
            throw new IllegalStateException(
                    "dynalite (the DynamoDB emulator) is not installed at %s: %s".formatted(dynaliteDir, INSTALL_HINT));
        }
        return new DynaliteProcess(
                NodeProcess.start(new NodeProcess.Launch("dynalite", dynaliteDir, LAUNCHER, INSTALL_HINT, List.of())));
    }

    URI endpoint() {
        return process.endpoint();
    }

    ProcessHandle handle() {
        return process.handle();
    }

    void pause() {
        process.signal("-STOP");
    }

    void resume() {
        process.signal("-CONT");
    }

    @Override
    public void close() {
        process.close();
    }
}
