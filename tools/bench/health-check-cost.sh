#!/usr/bin/env bash
# What one container health check costs: the bash check the Dockerfile's HEALTHCHECK runs, exactly as written there,
# against the JVM check it replaced (com.kahula.eventpersister.HealthCheck at 22c2813^, with its flags). Each runs
# CHECKS times in a row, in ROUNDS alternating rounds, against one local HTTP server answering 200; /usr/bin/time gives
# each round's wall time, its CPU (user + sys, the checks' own included) and the peak RSS of its largest process (the
# loop's own bash included, so an upper bound for a check that is smaller).
# Needs GNU time (/usr/bin/time), python3, curl, JDK 25 and git's history back to 22c2813 (not a shallow clone).
# Prints a Markdown report. Usage: tools/bench/health-check-cost.sh [CHECKS (default 200)] [ROUNDS (default 3)]
set -euo pipefail
source "$(dirname "$0")/tooling.sh"
jdk="${JAVA_HOME:+$JAVA_HOME/bin/}"
checks=${1:-200}
rounds=${2:-3}
work=$(mktemp -d)
server=
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"' EXIT

# The JVM check as it shipped before 22c2813: a main of JDK classes only, in a jar of its own here
mkdir -p "$work/classes" "$work/www/actuator/health"
git -C ../.. show 22c2813^:src/main/java/com/kahula/eventpersister/HealthCheck.java > "$work/HealthCheck.java" ||
  { echo "the JVM check comes from git's history: a clone that holds 22c2813^ is needed" >&2; exit 1; }
"${jdk}javac" -d "$work/classes" "$work/HealthCheck.java"
"${jdk}jar" cf "$work/healthcheck.jar" -C "$work/classes" .

# The bash check, taken from the Dockerfile's HEALTHCHECK CMD (a JSON array over continued lines)
mapfile -d '' bash_check < <(python3 - ../../Dockerfile <<'EOF'
import json, re, sys
text = open(sys.argv[1]).read().replace("\\\n", " ")
command = json.loads(re.search(r"^HEALTHCHECK .*?CMD (\[.*\])", text, re.M).group(1))
sys.stdout.write("\0".join(command) + "\0")
EOF
)
if [[ ${#bash_check[@]} -lt 3 || ${bash_check[0]} != bash ]]; then
  echo "no bash HEALTHCHECK CMD found in the Dockerfile" >&2
  exit 1
fi

echo '{"status":"UP"}' > "$work/www/actuator/health/liveness"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$work/www" > /dev/null 2>&1 &
server=$!
for _ in $(seq 50); do
  curl -sf "http://127.0.0.1:$port/actuator/health/liveness" > /dev/null && break
  sleep 0.1
done
export MANAGEMENT_PORT=$port
jvm_check=("${jdk}java" -Xmx16m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp "$work/healthcheck.jar"
  com.kahula.eventpersister.HealthCheck "http://127.0.0.1:$port/actuator/health/liveness")
# both must pass before they are timed
if ! "${bash_check[@]}"; then
  echo "the bash check failed against the local server on port $port" >&2
  exit 1
fi
if ! "${jvm_check[@]}"; then
  echo "the JVM check failed against the local server on port $port" >&2
  exit 1
fi

# checks in a row; prints wall s, user s, sys s, peak RSS KiB of the largest check
timed() {
  /usr/bin/time -f '%e %U %S %M' -o "$work/time" bash -c \
    'n=$1; shift; for ((i = 0; i < n; i++)); do "$@" || exit 1; done' timed "$checks" "$@"
  cat "$work/time"
}

echo "# The container health check's cost, $(date -u +%Y-%m-%d)"
echo
echo "$(nproc) cores, $(uname -m), $("${jdk}java" -version 2>&1 | head -1); $checks checks in a row per round,"
echo "against one local HTTP server answering 200; the JVM check from a jar of its own (it loads JDK classes only);"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)."
echo
echo '| round | check | wall ms per check | CPU ms per check (user + sys) | peak RSS MiB (the largest process) |'
echo '|---|---|---:|---:|---:|'
for round in $(seq "$rounds"); do
  for kind in bash jvm; do
    if [ "$kind" = bash ]; then read -r wall user sys rss < <(timed "${bash_check[@]}")
    else read -r wall user sys rss < <(timed "${jvm_check[@]}"); fi
    awk -v r="$round" -v k="$kind" -v n="$checks" -v w="$wall" -v u="$user" -v s="$sys" -v m="$rss" 'BEGIN {
      printf "| %s | %s | %.1f | %.1f | %.1f |\n", r, k, w * 1000 / n, (u + s) * 1000 / n, m / 1024 }'
  done
done
