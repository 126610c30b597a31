package com.kahula.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * CPU time, resident memory and live threads of a process, from Linux's /proc; {@code jitCpuMillis} is the part of the
 * CPU time its JIT compiler threads spent, summed over those alive at the reading (HotSpot's "C1 CompilerThreadN" and
 * "C2 CompilerThreadN"; on two CPUs it runs one of each, which never exit).
 */
record ProcessStats(long cpuMillis, long jitCpuMillis, long peakRssKb, long rssKb, int threads) {

    /** USER_HZ, the unit of utime and stime in /proc/[pid]/stat: fixed by Linux's ABI ({@code getconf CLK_TCK}). */
    private static final long TICKS_PER_SECOND = 100;

    static ProcessStats of(long pid) {
        try {
            long ticks = ticks(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
            long jitTicks = 0;
            try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
                for (Path task : tasks) {
                    try {
                        String stat = Files.readString(task.resolve("stat"));
                        String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                        if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
                            jitTicks += ticks(stat);
                        }
                    } catch (NoSuchFileException exited) {
                        // a thread that ended between the listing and the reading
                    }
                }
            }
            long peak = 0;
            long rss = 0;
            int threads = 0;
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    peak = kilobytes(line);
                } else if (line.startsWith("VmRSS:")) {
                    rss = kilobytes(line);
                } else if (line.startsWith("Threads:")) {
                    threads = (int) kilobytes(line);
                }
            }
            return new ProcessStats(
                    ticks * 1000 / TICKS_PER_SECOND, jitTicks * 1000 / TICKS_PER_SECOND, peak, rss, threads);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc for process " + pid, e);
        }
    }

    /**
     * The live threads alone, from /proc/[pid]/status: what the drain polls many times a second, without reading every
     * thread's stat as {@link #of} does.
     */
    static int threads(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("Threads:")) {
                    return (int) kilobytes(line);
                }
            }
            return 0;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc for process " + pid, e);
        }
    }

    /** utime + stime of a /proc stat line: the fields after the command name, which is in parentheses. */
    private static long ticks(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    /** The number on a /proc status line ("VmHWM:   1234 kB", "Threads:  57"). */
    private static long kilobytes(String line) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
    }
}
