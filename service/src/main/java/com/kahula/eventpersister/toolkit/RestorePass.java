package com.kahula.eventpersister.toolkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One restore's walk of the archive: the objects of the shard's hour partitions overlapping {@code [since, until)}, in
 * key order; those up to the checkpoint's last finished one skipped; each object sent whole, then recorded as
 * finished.
 */
final class RestorePass {

    private final Archive archive;
    private final ArchiveLocation location;
    private final Shard slice;
    private final RestoreSender sender;
    private final Optional<RestoreCheckpoint> checkpoint;

    /** @param checkpoint where finished objects are recorded; empty in a dry run */
    RestorePass(
            Archive archive,
            ArchiveLocation location,
            Shard slice,
            RestoreSender sender,
            Optional<RestoreCheckpoint> checkpoint) {
        this.archive = archive;
        this.location = location;
        this.slice = slice;
        this.sender = sender;
        this.checkpoint = checkpoint;
    }

    /** Lists, resumes and sends; says so on {@code out}, progress on {@code progress}; returns the counts. */
    RestoreReport run(Instant since, Instant until, Optional<String> resumeAfter, PrintWriter out, Progress progress) {
        List<String> keys = keys(since, until);
        RestoreReport report = new RestoreReport(keys.size());
        resumeAfter.ifPresent(last -> {
            report.alreadyDone =
                    (int) keys.stream().filter(key -> key.compareTo(last) <= 0).count();
            out.printf("resuming after %s (%d objects already done)%n", last, report.alreadyDone);
        });
        for (String key : keys) {
            if (resumeAfter.isPresent() && key.compareTo(resumeAfter.get()) <= 0) {
                continue;
            }
            try (BufferedReader lines = archive.lines(key)) {
                sender.send(key, lines, report, progress);
            } catch (IOException e) {
                throw new UncheckedIOException("could not read " + key + "; run again with --resume", e);
            }
            report.objects++;
            checkpoint.ifPresent(file -> file.finished(key));
            progress.tick(report.envelopes, report::line);
        }
        return report;
    }

    /** The keys of the objects to restore, in key order. */
    private List<String> keys(Instant since, Instant until) {
        List<String> keys = new ArrayList<>();
        for (Instant hour = since.truncatedTo(ChronoUnit.HOURS);
                hour.isBefore(until);
                hour = hour.plus(1, ChronoUnit.HOURS)) {
            if (slice.takes(hour)) {
                keys.addAll(archive.keys(location.hourPrefix(hour)));
            }
        }
        keys.sort(null);
        return keys;
    }
}
