package com.kahula.bench;

/** Publish-to-processed latency of probes sent at a steady rate. */
record LatencyResult(double rate, int count, long p50Millis, long p99Millis) {}
