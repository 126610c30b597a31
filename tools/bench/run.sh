#!/usr/bin/env bash
# The benchmark in one command: builds the service jar and the test classes, then runs the floor, the naive listener,
# the service and the service with its follow-up rules off side by side on one embedded AWS stack.
# Options: tools/bench/run.sh --help. Results: tools/bench/target/bench/.
set -euo pipefail
source "$(dirname "$0")/tooling.sh"
build -DskipTests package test-compile
# its heap holds every message of the run and every call recorded, as many as a long warm-up makes
exec "$java" -Xmx4g -cp "$(classpath)" com.kahula.bench.BenchmarkMain "$@"
