package com.kahula.embeddedaws;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An emulator that runs on Node.js (dynalite, s3rver) as a child process: its launcher listens on a port the OS picks
 * and prints it, and exits when its stdin closes, i.e. when this JVM dies even by SIGKILL, so no node process is left
 * behind.
 */
final class NodeProcess implements AutoCloseable {

    /** What to start: the npm package's directory, the launcher script and what to tell a user when it is missing. */
    record Launch(String name, Path packageDir, String launcher, String installHint, List<String> arguments) {}

    private final Process process;
    private final URI endpoint;
    private final String name;

    private NodeProcess(Process process, int port, String name) {
        this.process = process;
        this.endpoint = URI.create("http://127.0.0.1:" + port);
        this.name = name;
    }

    static NodeProcess start(Launch launch) {
        var packageDir = launch.packageDir().toAbsolutePath();
        var node = System.getProperty("dynalite.node", "node");
        var command = new ArrayList<>(List.of(node, "-e", launch.launcher(), packageDir.toString()));
        command.addAll(launch.arguments());
        Process process;
        try {
            process = new ProcessBuilder(command)
                    .redirectError(logFile(launch.name()))
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException(
                    "%s needs Node.js >= 18 as '%s': install it, e.g. 'apt-get install -y nodejs npm', then %s"
                            .formatted(launch.name(), node, launch.installHint()),
                    e);
        }
        try {
            return new NodeProcess(process, awaitPort(process, launch.name()), launch.name());
        } catch (RuntimeException e) {
            process.destroyForcibly();
            throw e;
        }
    }

    private static int awaitPort(Process process, String name) {
        var firstLine = new CompletableFuture<String>();
        // A platform thread: the read lasts as long as node, and would hold a virtual-thread carrier or a common-pool
        // thread, which the gateway and the rest of the JVM share, all that time.
        Thread.ofPlatform()
                .daemon()
                .name(name + "-stdout-" + process.pid())
                .start(() -> readPortThenDrain(process, firstLine));
        try {
            var line = firstLine.get(30, TimeUnit.SECONDS);
            if (line == null) {
                throw new IllegalStateException("%s exited with status %d before listening; see %s"
                        .formatted(name, process.waitFor(), logFile(name).file()));
            }
            return Integer.parseInt(line.strip());
        } catch (TimeoutException | ExecutionException e) {
            throw new IllegalStateException(
                    name + " did not start listening; see " + logFile(name).file(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting " + name, e);
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

    private static ProcessBuilder.Redirect logFile(String name) {
        var target = new File("target");
        return target.isDirectory()
                ? ProcessBuilder.Redirect.appendTo(new File(target, name + ".log"))
                : ProcessBuilder.Redirect.DISCARD;
    }

    URI endpoint() {
        return endpoint;
    }

    ProcessHandle handle() {
        return process.toHandle();
    }

    void signal(String signal) {
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
            throw new IllegalStateException("interrupted while signalling " + name, e);
        }
    }

    @Override
    public void close() {
        // SIGKILL: it also ends a process stopped by SIGSTOP
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
