#!/usr/bin/env bash
# The chaos soak (docs/chaos.md): builds the service jar, then sends events through it while it is killed with SIGKILL
# and restarted (each kill aimed at writes, follow-ups or EMITTED marks in flight), dynalite is frozen, SQS drops its
# connections, and EventBridge throttles entries (the drain included), answers 500 and goes down; then, with
# --long-outages on, the bus is down and then dynalite frozen, each outlasting a message's whole life on the queue;
# then an independent ledger holds the table, the dead letters and the service's counters. The soak prints each
# fault's length and, at the start, the numbers it derives from its settings. Exit 0 when the ledger finds nothing
# wrong and every fault took effect, 1 otherwise, 2 on a usage error.
# Options (their defaults in the usage line, --help): --events N --kills K --fault-scale F (each fault F times its
# length) --long-outages on|off --jar PATH.
# Logs: tools/bench/target/chaos/.
set -euo pipefail
source "$(dirname "$0")/tooling.sh"
build -DskipTests package test-compile
exec "$java" -Xmx2g -cp "$(classpath)" com.kahula.bench.ChaosMain "$@"
