package com.kahula.embeddedaws;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** s3rver, the S3 emulator, as a child Node.js process that never outlives this JVM, storing in a temporary folder. */
final class S3rverProcess implements AutoCloseable {

    private static final String INSTALL_HINT =
            NodePackages.INSTALL + " or point" + " -Ds3rver.dir at an installed s3rver 3.x";

    // The stack's placeholder key pair is made an account of s3rver's, which otherwise knows only its own; s3rver does
    // not check SigV4 signatures, and the gateway's hop changes the signed Host anyway. Buckets are path-style only.
    private static final String LAUNCHER = """
            const S3rver = require(process.argv[1]);
            require(process.argv[1] + '/lib/models/account').DUMMY_ACCOUNT.createKeyPair('%s', '%s');
            const s3 = new S3rver({address: '127.0.0.1', port: 0, silent: true, directory: process.argv[2],
                                   allowMismatchedSignatures: true, vhostBuckets: false});
            s3.run().then(address => {
                s3.httpServer.keepAliveTimeout = 0;
                console.log(address.port);
            });
            process.stdin.on('end', () => process.exit(0));
            process.stdin.resume();
            """.formatted(EmbeddedAwsStack.ACCESS_KEY, EmbeddedAwsStack.SECRET_KEY);

    private final NodeProcess process;
    private final Path directory;

    private S3rverProcess(NodeProcess process, Path directory) {
        this.process = process;
        this.directory = directory;
    }

    static S3rverProcess start() {
        var s3rverDir = NodePackages.installed("s3rver");
        if (!Files.isRegularFile(s3rverDir.resolve("lib/s3rver.js"))) {
            throw new IllegalStateException(
                    "s3rver (the S3 emulator) is not installed at %s: %s".formatted(s3rverDir, INSTALL_HINT));
        }
        Path directory;
        try {
            directory = Files.createTempDirectory("embedded-s3-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a folder for s3rver's objects", e);
        }
        return new S3rverProcess(
                NodeProcess.start(new NodeProcess.Launch(
                        "s3rver", s3rverDir, LAUNCHER, INSTALL_HINT, List.of(directory.toString()))),
                directory);
    }

    URI endpoint() {
        return process.endpoint();
    }

    @Override
    public void close() {
        process.close();
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a temporary folder the OS cleans anyway
        }
    }
}
