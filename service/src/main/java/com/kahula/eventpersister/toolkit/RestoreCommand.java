package com.kahula.eventpersister.toolkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.kahula.eventpersister.aws.Batcher;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * {@code restore}: sends the archive's envelopes of a time range to the service's queue, marked as a restore, so the
 * service stores them (idempotently) without firing their follow-up rules again.
 */
@Command(
        name = "restore",
        mixinStandardHelpOptions = true,
        description = {
            "Sends the archived envelopes of a time range to the service's queue, in batches of ten marked as a"
                    + " restore (message attribute persister-restore): the service stores each event once, and fires"
                    + " no follow-up rule for them unless --with-follow-ups.",
            "Reads the hour partitions year=/month=/day=/hour=/ (arrival time, UTC) under --from that overlap"
                    + " [--since, --until), objects in key order; keeps the last finished object in a checkpoint."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:done (unparseable lines are skipped and listed)",
            "1:failed while running; run again with --resume",
            "2:wrong arguments"
        })
final class RestoreCommand extends Usage implements Callable<Integer> {

    /** SQS's limit on a message and on a whole batch (256 KiB); an archived envelope is at most that. */
    static final int MAX_BATCH_BYTES = 262_144;

    static final int BATCH_SIZE = 10;
    private static final int SKIPPED_LISTED = 100;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Mixin
    AwsOptions aws = new AwsOptions();

    @Option(
            names = "--from",
            required = true,
            paramLabel = "s3://bucket/prefix",
            description = "The archive, e.g. s3://kahula-events-archive-prod-111122223333/events/.")
    String from = "";

    @Option(
            names = "--since",
            required = true,
            converter = Times.Converter.class,
            description = "Start of the range, ISO-8601, e.g. 2026-11-27T09:00:00Z (its hour included).")
    Instant since = Instant.EPOCH;

    @Option(
            names = "--until",
            required = true,
            converter = Times.Converter.class,
            description = "End of the range, ISO-8601, excluded.")
    Instant until = Instant.EPOCH;

    @Option(names = "--queue", description = "The queue to send to (default: kahula-event-persister-{env}).")
    @Nullable
    String queue;

    @Option(names = "--with-follow-ups", description = "Let the restored events fire their follow-up rules again.")
    boolean withFollowUps;

    @Option(
            names = "--shard",
            defaultValue = "1/1",
            paramLabel = "i/n",
            description = "Take only shard i of n: every n-th hour partition, so n tasks split the range;"
                    + " default: ${DEFAULT-VALUE}.")
    String shard = "1/1";

    @Option(
            names = "--max-rate",
            paramLabel = "envelopes/s",
            description = "Send at most this many envelopes a second (default: as fast as the queue takes them).")
    @Nullable
    Integer maxRate;

    @Option(
            names = "--checkpoint",
            paramLabel = "file",
            description = "The checkpoint file (default: event-persister-restore-<i>-of-<n>.checkpoint in the"
                    + " temporary folder).")
    @Nullable
    Path checkpoint;

    @Option(names = "--resume", description = "Skip the objects up to the checkpoint's last finished one.")
    boolean resume;

    @Option(names = "--dry-run", description = "Read and count the archive, send nothing, write no checkpoint.")
    boolean dryRun;

    @Override
    public Integer call() {
        ArchiveLocation location;
        try {
            location = ArchiveLocation.parse(from);
        } catch (IllegalArgumentException e) {
            throw usage("--from: " + e.getMessage());
        }
        if (!since.isBefore(until)) {
            throw usage("--since must be before --until");
        }
        Shard slice = shard();
        if (maxRate != null && maxRate < 1) {
            throw usage("--max-rate must be at least 1, was " + maxRate);
        }
        String run = "from=%s since=%s until=%s shard=%s".formatted(location, since, until, slice);
        RestoreCheckpoint progressFile = new RestoreCheckpoint(
                checkpoint != null
                        ? checkpoint
                        : Path.of(
                                System.getProperty("java.io.tmpdir"),
                                "event-persister-restore-%d-of-%d.checkpoint".formatted(slice.index(), slice.count())),
                run);
        Optional<String> resumeAfter = Optional.empty();
        if (resume) {
            try {
                resumeAfter = progressFile.lastFinishedKey();
            } catch (IllegalArgumentException e) {
                throw usage("--resume: " + e.getMessage());
            }
        }
        try (S3Client s3 = aws.s3();
                @Nullable SqsClient sqs = dryRun ? null : aws.sqs()) {
            Archive archive = new S3Archive(s3, location.bucket());
            RestoreQueue target = sqs == null
                    ? (envelopes, followUps) -> {}
                    : new SqsRestoreQueue(sqs, queue != null ? queue : aws.queueName());
            return restore(location, slice, archive, target, progressFile, resumeAfter);
        }
    }

    private int restore(
            ArchiveLocation location,
            Shard slice,
            Archive archive,
            RestoreQueue target,
            RestoreCheckpoint progressFile,
            Optional<String> resumeAfter) {
        PrintWriter out = commandLine().getOut();
        List<String> keys = new ArrayList<>();
        for (Instant hour = since.truncatedTo(ChronoUnit.HOURS);
                hour.isBefore(until);
                hour = hour.plus(1, ChronoUnit.HOURS)) {
            if (slice.takes(hour)) {
                keys.addAll(archive.keys(location.hourPrefix(hour)));
            }
        }
        keys.sort(null);
        Counts counts = new Counts(keys.size());
        resumeAfter.ifPresent(last -> {
            counts.alreadyDone =
                    (int) keys.stream().filter(key -> key.compareTo(last) <= 0).count();
            out.printf("resuming after %s (%d objects already done)%n", last, counts.alreadyDone);
        });
        MaxRate limiter = MaxRate.of("restore", maxRate);
        Progress progress = new Progress(commandLine().getErr(), "restore");
        for (String key : keys) {
            if (resumeAfter.isPresent() && key.compareTo(resumeAfter.get()) <= 0) {
                continue;
            }
            restoreObject(key, archive, target, limiter, counts, progress);
            counts.objects++;
            if (!dryRun) {
                progressFile.finished(key);
            }
            progress.tick(counts.envelopes, counts::line);
        }
        out.printf(
                "restore %s%s: %s, %d envelopes/s%n",
                dryRun ? "(dry run) " : "", location, counts.line(), progress.rate(counts.envelopes));
        counts.skippedLines.forEach(skipped -> out.println("skipped " + skipped));
        if (counts.skipped > counts.skippedLines.size()) {
            out.printf("... and %d more skipped lines%n", counts.skipped - counts.skippedLines.size());
        }
        if (!dryRun && !keys.isEmpty()) {
            out.println("checkpoint: " + progressFile.file());
        }
        return 0;
    }

    private void restoreObject(
            String key, Archive archive, RestoreQueue target, MaxRate limiter, Counts counts, Progress progress) {
        Batcher<String> batcher =
                new Batcher<>(BATCH_SIZE, MAX_BATCH_BYTES, line -> line.getBytes(StandardCharsets.UTF_8).length);
        try (BufferedReader lines = archive.lines(key)) {
            int number = 0;
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                Optional<String> problem = problem(line);
                if (problem.isPresent()) {
                    counts.skip(key + " line " + number + ": " + problem.get());
                    continue;
                }
                List<String> full = batcher.add(line);
                if (!full.isEmpty()) {
                    send(full, target, limiter, counts);
                    progress.tick(counts.envelopes, counts::line);
                }
                counts.envelopes++;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + key + "; run again with --resume", e);
        }
        send(batcher.rest(), target, limiter, counts);
    }

    private void send(List<String> batch, RestoreQueue target, MaxRate limiter, Counts counts) {
        if (batch.isEmpty() || dryRun) {
            return;
        }
        batch.forEach(envelope -> limiter.acquire());
        target.send(batch, withFollowUps);
        counts.sent += batch.size();
    }

    /** Why a line cannot be sent (not one JSON object, or larger than a message may be), or empty. */
    private static Optional<String> problem(String line) {
        if (line.length() > MAX_BATCH_BYTES || line.getBytes(StandardCharsets.UTF_8).length > MAX_BATCH_BYTES) {
            return Optional.of("larger than an SQS message (256 KiB)");
        }
        try {
            JsonNode node = JSON.readTree(line);
            return node != null && node.isObject() ? Optional.empty() : Optional.of("not a JSON object");
        } catch (IOException e) {
            return Optional.of("not JSON");
        }
    }

    private Shard shard() {
        try {
            return Shard.parse(shard);
        } catch (IllegalArgumentException e) {
            throw usage("--shard: " + e.getMessage());
        }
    }

    /** The counts of a restore, as it goes and at its end. */
    private final class Counts {

        private final int objectsInRange;
        int alreadyDone;
        int objects;
        long envelopes;
        long sent;
        long skipped;
        final List<String> skippedLines = new ArrayList<>();

        Counts(int objectsInRange) {
            this.objectsInRange = objectsInRange;
        }

        void skip(String where) {
            skipped++;
            if (skippedLines.size() < SKIPPED_LISTED) {
                skippedLines.add(where);
            }
        }

        String line() {
            return "objects %d/%d%s, envelopes %d, sent %d, skipped %d"
                    .formatted(
                            objects + alreadyDone,
                            objectsInRange,
                            alreadyDone > 0 ? " (" + alreadyDone + " done before)" : "",
                            envelopes,
                            sent,
                            skipped);
        }
    }
}
