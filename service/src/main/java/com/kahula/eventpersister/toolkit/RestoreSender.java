package com.kahula.eventpersister.toolkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.kahula.eventpersister.aws.Batcher;
import java.io.BufferedReader;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Sends one archived object's envelopes to the queue: each line checked, the good ones in batches of at most ten
 * messages and 256 KiB (SendMessageBatch's limits, counting the restore attribute), at most the rate asked.
 */
final class RestoreSender {

    /** SQS's limit on a message and on a whole batch, counting message attributes. */
    static final int MAX_BATCH_BYTES = 262_144;

    static final int BATCH_SIZE = 10;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RestoreQueue target;
    private final boolean withFollowUps;
    private final MaxRate limiter;
    private final boolean dryRun;

    /** @param dryRun check and count the envelopes, send none */
    RestoreSender(RestoreQueue target, boolean withFollowUps, MaxRate limiter, boolean dryRun) {
        this.target = target;
        this.withFollowUps = withFollowUps;
        this.limiter = limiter;
        this.dryRun = dryRun;
    }

    /** Sends the lines of the object {@code key}, counting them in {@code report}; returns once the queue took them. */
    void send(String key, BufferedReader lines, RestoreReport report, Progress progress) throws IOException {
        Batcher<String> batcher = new Batcher<>(BATCH_SIZE, MAX_BATCH_BYTES, this::messageBytes);
        int number = 0;
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            number++;
            if (line.isBlank()) {
                continue;
            }
            Optional<String> problem = problem(line);
            if (problem.isPresent()) {
                report.skip(key + " line " + number + ": " + problem.get());
                continue;
            }
            List<String> full = batcher.add(line);
            if (!full.isEmpty()) {
                sendBatch(full, report);
                progress.tick(report.envelopes, report::line);
            }
            report.envelopes++;
        }
        sendBatch(batcher.rest(), report);
    }

    private void sendBatch(List<String> batch, RestoreReport report) {
        if (batch.isEmpty() || dryRun) {
            return;
        }
        batch.forEach(envelope -> limiter.acquire());
        target.send(batch, withFollowUps);
        report.sent += batch.size();
    }

    /** The size SQS counts for the message of {@code envelope}: its body and its restore attribute. */
    long messageBytes(String envelope) {
        return SqsRestoreQueue.messageBytes(envelope, withFollowUps);
    }

    /** Why a line cannot be sent (not one JSON object, or larger than a message may be), or empty. */
    private Optional<String> problem(String line) {
        if (line.length() > MAX_BATCH_BYTES || messageBytes(line) > MAX_BATCH_BYTES) {
            return Optional.of("larger than an SQS message (256 KiB)");
        }
        try {
            JsonNode node = JSON.readTree(line);
            return node != null && node.isObject() ? Optional.empty() : Optional.of("not a JSON object");
        } catch (IOException e) {
            return Optional.of("not JSON");
        }
    }
}
