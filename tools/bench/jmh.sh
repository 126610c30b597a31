#!/usr/bin/env bash
# JMH benchmark of the per-event hot path (parse, canonical hash, item, request) with allocation per event.
# Extra arguments go to JMH, e.g. tools/bench/jmh.sh -f 2 -i 10.
set -euo pipefail
source "$(dirname "$0")/tooling.sh"
build -Dmaven.test.skip.exec=true test-compile
exec "$java" -cp "$(classpath)" \
  org.openjdk.jmh.Main HotPathBenchmark -prof gc -rf text -rff target/bench/jmh-hotpath.txt "$@"
