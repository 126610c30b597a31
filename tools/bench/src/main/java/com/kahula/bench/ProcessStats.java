package com.kahula.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time, resident memory and live threads of a process, from Linux's /proc. */
record ProcessStats(long cpuMillis, long peakRssKb, long rssKb, int threads) {

    /** USER_HZ, the unit of utime and stime in /proc/[pid]/stat: fixed by Linux's ABI ({@code getconf CLK_TCK}). */
    private static final long TICKS_PER_SECOND = 100;

    static ProcessStats of(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // fields after the command name, which is in parentheses and may hold spaces
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
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
            return new ProcessStats(ticks * 1000 / TICKS_PER_SECOND, peak, rss, threads);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc for process " + pid, e);
        }
    }

    /** The number on a /proc status line ("VmHWM:   1234 kB", "Threads:  57"). */
    private static long kilobytes(String line) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
    }
}
