#!/usr/bin/env bash
# The chaos soak: builds the service jar, then sends events (default 50000) through it while it is killed with SIGKILL
# and restarted (default 3 times), dynalite is frozen for 20 s, and EventBridge throttles 30 % of entries, answers 500
# for 10 s and is down for 30 s; then checks a ledger written before the start. Exit 0 when nothing is lost, duplicated
# or missing. Options: --events N --kills K --fault-scale F (each fault F times its length). Logs: target/chaos/.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${JAVA_HOME:-}" ] && [ -d /usr/lib/jvm/temurin-25-jdk-amd64 ]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
if [ "${BENCH_SKIP_BUILD:-}" != "true" ]; then
  ./mvnw -B -q -DskipTests -Dspotless.check.skip=true package test-compile
  ./mvnw -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench/classpath.txt
fi
exec "$java" -Xmx2g -cp "target/test-classes:target/classes:$(cat target/bench/classpath.txt)" \
  com.kahula.bench.ChaosMain "$@"
