#!/usr/bin/env bash
# The chaos soak: builds the service jar, then sends events (default 50000) through it while it is killed with SIGKILL
# and restarted (default 3 times), dynalite is frozen for 20 s, and EventBridge throttles 30 % of entries, answers 500
# for 10 s and is down for 30 s; then checks a ledger written before the start. Exit 0 when nothing is lost, duplicated
# or missing. Options: --events N --kills K --fault-scale F (each fault F times its length). Logs: target/chaos/.
set -euo pipefail
source "$(dirname "$0")/tooling.sh"
build -DskipTests package test-compile
exec "$java" -Xmx2g -cp "$(classpath)" com.kahula.bench.ChaosMain "$@"
