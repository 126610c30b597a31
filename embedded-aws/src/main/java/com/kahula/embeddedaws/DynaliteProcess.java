package com.kahula.embeddedaws;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** dynalite, the DynamoDB emulator, as a child Node.js process that never outlives this JVM. */
final class DynaliteProcess implements AutoCloseable {

    private static final String INSTALL_HINT =
            "run './mvnw generate-test-resources' (it runs embedded-aws/dynalite/install.sh: npm ci) or point"
                    + " -Ddynalite.dir at an installed dynalite 4.x";

    // Instead of dynalite's cli.js: it listens on a port the OS picks (no race for a "free" port), disables node's
    // 5 s keep-alive timeout (the gateway's HttpClient pools connections for 30 s, and a server-side close racing
    // with a reuse fails a non-idempotent POST), and exits when its stdin closes, i.e. when the JVM dies even by
    // SIGKILL, which leaves no orphan node process behind.
    private static final String LAUNCHER = """
            const server = require(process.argv[1])({createTableMs: 0, deleteTableMs: 0, updateTableMs: 0});
            server.keepAliveTimeout = 0;
            server.listen(0, '127.0.0.1', () => console.log(server.address().port));
            process.stdin.on('end', () => process.exit(0));
            process.stdin.resume();
            """;

    private final Process process;
    private final URI endpoint;

    private DynaliteProcess(Process process, int port) {
        this.process = process;
        this.endpoint = URI.create("http://127.0.0.1:" + port);
    }

    static DynaliteProcess start() {
        var dynaliteDir = Path.of(System.getProperty("dynalite.dir", "embedded-aws/dynalite/node_modules/dynalite"))
                .toAbsolutePath();
        if (!Files.isRegularFile(dynaliteDir.resolve("index.js"))) {
            throw new IllegalStateException(
                    "dynalite (the DynamoDB emulator) is not installed at %s: %s".formatted(dynaliteDir, INSTALL_HINT));
        }
        var node = System.getProperty("dynalite.node", "node");
        Process process;
        try {
            process = new ProcessBuilder(node, "-e", LAUNCHER, dynaliteDir.toString())
                    .redirectError(logFile())
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException(
                    "dynalite (the DynamoDB emulator) needs Node.js >= 18 as '%s': install it, e.g. 'apt-get install -y nodejs npm', then %s"
                            .formatted(node, INSTALL_HINT),
                    e);
        }
        try {
            return new DynaliteProcess(process, awaitPort(process));
        } catch (RuntimeException e) {
            process.destroyForcibly();
            throw e;
        }
    }

    private static int awaitPort(Process process) {
        var firstLine = new CompletableFuture<String>();
        // A platform thread: a virtual one would pin a carrier of the JVM-wide virtual-thread scheduler in the pipe
        // read for as long as node lives, and with two stacks alive on a 2-core machine no carrier is left for the
        // gateway; nor the common pool, a single thread on 2 cores since JDK 25, which a silent node would block.
        Thread.ofPlatform()
                .daemon()
                .name("dynalite-stdout-" + process.pid())
                .start(() -> readPortThenDrain(process, firstLine));
        try {
            var line = firstLine.get(30, TimeUnit.SECONDS);
            if (line == null) {
                throw new IllegalStateException("dynalite exited with status %d before listening; see %s"
                        .formatted(process.waitFor(), logFile().file()));
            }
            return Integer.parseInt(line.strip());
        } catch (TimeoutException | ExecutionException e) {
            throw new IllegalStateException(
                    "dynalite did not start listening; see " + logFile().file(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting dynalite", e);
        }
    }

    /** Hands over the port line, then drains stdout: nothing more is expected, but a full pipe would block node. */
    private static void readPortThenDrain(Process process, CompletableFuture<String> firstLine) {
        try (var stdout = process.inputReader()) {
            firstLine.complete(stdout.readLine());
            stdout.transferTo(Writer.nullWriter());
        } catch (IOException e) {
            // the process ended
            firstLine.completeExceptionally(e);
        }
    }

    private static ProcessBuilder.Redirect logFile() {
        var target = new File("target");
        return target.isDirectory()
                ? ProcessBuilder.Redirect.appendTo(new File(target, "dynalite.log"))
                : ProcessBuilder.Redirect.DISCARD;
    }

    URI endpoint() {
        return endpoint;
    }

    ProcessHandle handle() {
        return process.toHandle();
    }

    void pause() {
        signal("-STOP");
    }

    void resume() {
        signal("-CONT");
    }

    private void signal(String signal) {
        try {
            var kill = new ProcessBuilder("kill", signal, Long.toString(process.pid()))
                    .inheritIO()
                    .start();
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("kill %s %d failed".formatted(signal, process.pid()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while signalling dynalite", e);
        }
    }

    @Override
    public void close() {
        // SIGKILL: it also ends a process stopped by pause()
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
