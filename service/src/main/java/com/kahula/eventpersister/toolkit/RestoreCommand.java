package com.kahula.eventpersister.toolkit;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
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
 * service stores them (idempotently) without firing their follow-up rules again. This class reads the options and wires
 * the run: {@link RestorePass} lists and resumes, {@link RestoreSender} batches and sends, {@link RestoreReport} counts.
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
final class RestoreCommand extends ToolkitCommand implements Callable<Integer> {

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
            converter = TimeFormats.Converter.class,
            description = "Start of the range, ISO-8601, e.g. 2026-11-27T09:00:00Z (its hour included).")
    Instant since = Instant.EPOCH;

    @Option(
            names = "--until",
            required = true,
            converter = TimeFormats.Converter.class,
            description = "End of the range, ISO-8601, excluded.")
    Instant until = Instant.EPOCH;

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
            RestoreQueue target =
                    sqs == null ? (envelopes, followUps) -> {} : new SqsRestoreQueue(sqs, aws.queueName());
            RestoreSender sender = new RestoreSender(target, withFollowUps, MaxRate.of("restore", maxRate), dryRun);
            RestorePass pass = new RestorePass(
                    new S3Archive(s3, location.bucket()),
                    location,
                    slice,
                    sender,
                    dryRun ? Optional.empty() : Optional.of(progressFile));
            Progress progress = new Progress(commandLine().getErr(), "restore");
            PrintWriter out = commandLine().getOut();
            RestoreReport report = pass.run(since, until, resumeAfter, out, progress);
            report.print(
                    out,
                    "restore %s%s".formatted(dryRun ? "(dry run) " : "", location),
                    progress.rate(report.envelopes),
                    !dryRun && report.anyObjects() ? progressFile.file() : null);
            return 0;
        }
    }

    private Shard shard() {
        try {
            return Shard.parse(shard);
        } catch (IllegalArgumentException e) {
            throw usage("--shard: " + e.getMessage());
        }
    }
}
