#!/usr/bin/env bash
# The chaos soak (docs/chaos.md): builds the service jar, then sends events (default 50000) through it while it is
# killed with SIGKILL and restarted (default 3 times, each kill aimed at writes, follow-ups or EMITTED marks in flight),
# dynalite is frozen for 20 s, SQS drops its connections for 10 s, and EventBridge throttles 30 % of entries (the drain
# included), answers 500 for 10 s and is down for 30 s; then, with --long-outages on (the default), the bus is down and
# then dynalite frozen, each for 3 x the queue's visibility timeout x maxReceiveCount (45 s x 3 in this soak: 405 s);
# then an independent ledger holds the table, the dead letters and the service's counters. Exit 0 when the ledger finds
# nothing wrong and every fault took effect, 1 otherwise, 2 on a usage error.
# Options: --events N --kills K --fault-scale F (each fault F times its length) --long-outages on|off --jar PATH.
# Logs: tools/bench/target/chaos/.
set -euo pipefail
source "$(dirname "$0")/tooling.sh"
build -DskipTests package test-compile
exec "$java" -Xmx2g -cp "$(classpath)" com.kahula.bench.ChaosMain "$@"
