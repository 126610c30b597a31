package com.kahula.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a JVM's resident memory is, from /proc/[pid]/smaps: the Java heap (its address range from {@code jcmd
 * GC.heap_info}), the class data archive mapped from a file (the JDK AOT cache, or the JDK's default CDS archive), and
 * the rest (metaspace, JIT-compiled code and the compilers' memory, thread stacks, direct buffers, malloc).
 */
record MemoryShares(double heapMb, double classDataMb, double otherMb) {

    private static final Pattern ADDRESS = Pattern.compile("0x([0-9a-f]+)");
    private static final Pattern MAPPING = Pattern.compile("^([0-9a-f]+)-([0-9a-f]+) \\S+ \\S+ \\S+ \\S+\\s*(.*)$");

    static MemoryShares of(long pid) {
        long[] heap = heapRange(pid);
        long heapKb = 0;
        long classDataKb = 0;
        long totalKb = 0;
        boolean inHeap = false;
        boolean classData = false;
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "smaps"))) {
                Matcher mapping = MAPPING.matcher(line);
                if (mapping.matches()) {
                    long start = Long.parseUnsignedLong(mapping.group(1), 16);
                    inHeap = start >= heap[0] && start < heap[1];
                    String file = mapping.group(3);
                    classData = file.endsWith(".aot") || file.endsWith(".jsa");
                } else if (line.startsWith("Rss:")) {
                    long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    totalKb += kb;
                    heapKb += inHeap ? kb : 0;
                    classDataKb += classData ? kb : 0;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the smaps of process " + pid, e);
        }
        return new MemoryShares(heapKb / 1024.0, classDataKb / 1024.0, (totalKb - heapKb - classDataKb) / 1024.0);
    }

    /** [lowest, highest) address of the heap's generations, as {@code jcmd <pid> GC.heap_info} prints them. */
    private static long[] heapRange(long pid) {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        try {
            Process process = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.heap_info")
                    .redirectErrorStream(true)
                    .start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("jcmd GC.heap_info failed for " + pid + ": " + output);
            }
            long low = Long.MAX_VALUE;
            long high = 0;
            for (String line : List.of(output.split("\n"))) {
                // Serial: "DefNew total ... [0x..., 0x..., 0x...)" and "Tenured total ..."; G1: "garbage-first heap
                // total ... [0x..., 0x...)"; the metaspace lines carry no address
                if (!line.contains(" total ")) {
                    continue;
                }
                Matcher address = ADDRESS.matcher(line);
                while (address.find()) {
                    long value = Long.parseUnsignedLong(address.group(1), 16);
                    low = Math.min(low, value);
                    high = Math.max(high, value);
                }
            }
            if (high == 0) {
                throw new IllegalStateException("no heap address in jcmd GC.heap_info of " + pid + ": " + output);
            }
            return new long[] {low, high};
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
