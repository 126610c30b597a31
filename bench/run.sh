#!/usr/bin/env bash
# The benchmark in one command: builds the service jar and the test classes, then runs the floor, the naive listener,
# the service and the service with its follow-up rules off side by side on one embedded AWS stack. Options: bench/run.sh --help. Results: target/bench/.
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
exec "$java" -Xmx1g -cp "target/test-classes:target/classes:$(cat target/bench/classpath.txt)" \
  com.kahula.bench.BenchmarkMain "$@"
