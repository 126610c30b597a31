package com.kahula.eventpersister.toolkit;

import com.kahula.eventpersister.store.FollowUpOutbox.Waiting;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine;

/** Prints waiting follow-ups as they are read, counts them by status, and shows progress on stderr. */
final class FollowUpListing {

    private final PrintWriter out;
    private final FollowUpsCommand.Format format;
    private final Instant now;
    private final Progress progress;
    long pending;
    long rejected;

    FollowUpListing(CommandLine commandLine, FollowUpsCommand.Format format, Instant now, String what) {
        this.out = commandLine.getOut();
        this.format = format;
        this.now = now;
        this.progress = new Progress(commandLine.getErr(), what);
        if (format == FollowUpsCommand.Format.table) {
            out.print(FollowUpRow.HEADER);
        }
    }

    void print(List<Waiting> page) {
        for (Waiting waiting : page) {
            FollowUpRow row = FollowUpRow.of(waiting, now);
            out.print(format == FollowUpsCommand.Format.table ? row.table() : row.ndjson());
            if (waiting.mark().isPending()) {
                pending++;
            } else {
                rejected++;
            }
        }
        out.flush();
        long listed = pending + rejected;
        progress.tick(listed, () -> "listed " + listed);
    }

    /** Ends the listing: its summary line, in the table format only (NDJSON stays one object a line). */
    void close(String summary) {
        if (format == FollowUpsCommand.Format.table) {
            out.println(summary);
        }
        out.flush();
    }
}
