package com.kahula.eventpersister.toolkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A restore's batches, sized as SQS counts a message: body and the persister-restore attribute. */
class RestoreSenderTests {

    // "persister-restore" + "String" + "without-follow-ups", counted by hand
    private static final int ATTRIBUTE_BYTES = 17 + 6 + 18;
    private static final int SQS_LIMIT = 256 * 1024;

    private final List<List<String>> sent = new ArrayList<>();
    private final RestoreSender sender = new RestoreSender(
            (envelopes, withFollowUps) -> sent.add(envelopes), false, MaxRate.of("test", null), false);
    private final RestoreReport report = new RestoreReport(1);

    @Test
    void countsTheRestoreAttributeInAMessagesSize() {
        assertThat(SqsRestoreQueue.messageBytes(envelope(100), false)).isEqualTo(100 + ATTRIBUTE_BYTES);
        assertThat(SqsRestoreQueue.messageBytes(envelope(100), true)).isEqualTo(100 + 17 + 6 + 15);
    }

    @Test
    void startsANewBatchWhenTheAttributesWouldTakeItOverSqsLimit() throws IOException {
        // ten bodies fit in 256 KiB together, but not with their ten attributes
        int body = SQS_LIMIT / 10 - 2;
        assertThat(10L * body).isLessThanOrEqualTo(SQS_LIMIT);
        assertThat(10L * (body + ATTRIBUTE_BYTES)).isGreaterThan(SQS_LIMIT);

        send(Collections.nCopies(10, envelope(body)));

        assertThat(sent).extracting(List::size).containsExactly(9, 1);
        assertThat(report.sent).isEqualTo(10);
    }

    @Test
    void skipsABodyThatFitsOnlyWithoutItsAttribute() throws IOException {
        send(List.of(envelope(SQS_LIMIT - ATTRIBUTE_BYTES), envelope(SQS_LIMIT - ATTRIBUTE_BYTES + 1)));

        assertThat(sent).extracting(List::size).containsExactly(1);
        assertThat(report.skipped).isEqualTo(1);
        assertThat(report.line()).contains("sent 1, skipped 1");
    }

    private void send(List<String> lines) throws IOException {
        Progress progress = new Progress(new PrintWriter(new StringWriter()), "test");
        sender.send("key", new BufferedReader(new StringReader(String.join("\n", lines))), report, progress);
    }

    /** A JSON object of exactly {@code bytes} UTF-8 bytes. */
    private static String envelope(int bytes) {
        String envelope = "{\"a\":\"" + "x".repeat(bytes - 8) + "\"}";
        assertThat(envelope).hasSize(bytes);
        return envelope;
    }
}
