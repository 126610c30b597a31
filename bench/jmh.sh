#!/usr/bin/env bash
# JMH benchmark of the per-event hot path (parse, canonical hash, item, request) with allocation per event.
# Extra arguments go to JMH, e.g. bench/jmh.sh -f 2 -i 10.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${JAVA_HOME:-}" ] && [ -d /usr/lib/jvm/temurin-25-jdk-amd64 ]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
if [ "${BENCH_SKIP_BUILD:-}" != "true" ]; then
  ./mvnw -B -q -Dspotless.check.skip=true -Dmaven.test.skip.exec=true test-compile
  ./mvnw -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench/classpath.txt
fi
mkdir -p target/bench
exec "$java" -cp "target/test-classes:target/classes:$(cat target/bench/classpath.txt)" \
  org.openjdk.jmh.Main HotPathBenchmark -prof gc -rf text -rff target/bench/jmh-hotpath.txt "$@"
