package com.kahula.eventpersister.toolkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.kahula.eventpersister.support.NettyPipelineEnd;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A command's logging, in a JVM of its own as a command runs (it resets Logback for the whole process): warnings on
 * stderr, nothing on stdout, and not Netty's warning about an exception at the end of a pipeline (application.yml).
 */
class QuietLoggingTests {

    @Test
    void warnsOnStderrAndLeavesOutNettysWarningAboutTheEndOfAPipeline() throws Exception {
        Process probe = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        QuietLoggingTests.class.getName())
                .start();
        String out = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(probe.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(probe.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(probe.exitValue()).as(err).isZero();
        assertThat(out).isEqualTo("passed on to the pipeline's end: Request cancelled\n");
        assertThat(err).contains("WARN").contains("a warning of the command's own");
        assertThat(err).doesNotContain("reached at the tail of the pipeline");
    }

    /** The probe: a command's logging, one warning of its own, and an exception no Netty handler takes. */
    public static void main(String[] args) throws Exception {
        QuietLogging.apply();
        LoggerFactory.getLogger(QuietLoggingTests.class).warn("a warning of the command's own");
        Throwable passedOn = NettyPipelineEnd.fire(new IOException("Request cancelled"));
        System.out.println("passed on to the pipeline's end: " + passedOn.getMessage());
    }
}
