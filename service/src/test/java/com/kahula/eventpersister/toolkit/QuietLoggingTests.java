package com.kahula.eventpersister.toolkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.kahula.eventpersister.support.NettyPipelineEnd;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A command's logging, in a JVM of its own as a command runs (it resets Logback for the whole process): warnings on
 * stderr, nothing on stdout, and Netty's warning about an exception at a pipeline's end but for the SDK's "Request
 * cancelled" (AbandonedRequestWarnings).
 */
class QuietLoggingTests {

    @Test
    void warnsOnStderrAndLeavesOutOnlyNettysWarningAboutARequestTheSdkAbandoned(@TempDir Path work) throws Exception {
        Path out = work.resolve("out");
        Path err = work.resolve("err");
        Process probe = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        QuietLoggingTests.class.getName())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        boolean exited = probe.waitFor(60, TimeUnit.SECONDS);
        if (!exited) {
            probe.destroyForcibly();
        }

        assertThat(exited).as("the probe exited").isTrue();
        assertThat(probe.exitValue()).as(Files.readString(err)).isZero();
        assertThat(Files.readString(out))
                .isEqualTo("reached the pipeline's end: Request cancelled, Connection reset by peer\n");
        assertThat(Files.readString(err))
                .contains("WARN")
                .contains("a warning of the command's own")
                .contains("reached at the tail of the pipeline")
                .contains("Connection reset by peer")
                .doesNotContain("Request cancelled");
    }

    /** The probe: a command's logging, a warning of its own, and two exceptions no Netty handler takes. */
    public static void main(String[] args) throws Exception {
        QuietLogging.apply();
        LoggerFactory.getLogger(QuietLoggingTests.class).warn("a warning of the command's own");
        Throwable cancelled = NettyPipelineEnd.fire(NettyPipelineEnd.requestCancelled());
        Throwable reset = NettyPipelineEnd.fire(new IOException("Connection reset by peer"));
        System.out.println("reached the pipeline's end: " + cancelled.getMessage() + ", " + reset.getMessage());
    }
}
