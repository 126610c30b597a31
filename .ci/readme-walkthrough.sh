#!/usr/bin/env bash
# Does what a new user does with README "Run it": runs its commands exactly as written, in this checkout.
#   block 1: the run command, started as a process of its own; readiness UP on 8081 is awaited
#   block 2: put-events of the example, then get-item, which must find the stored row
#   block 3: a message that is no event, then receive-message on the dead-letter queue, which must show its reason
# then SIGTERM to the run command, which must stop. The commands are read from README.md, so a README command that
# changes changes this check with it; the expectations below name what each block must print.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian's AWS CLI v2; an older `aws` may come first on PATH.
export PATH="/usr/bin:$PATH"
READINESS=http://localhost:8081/actuator/health/readiness
LOG=target/readme-walkthrough.log
mkdir -p target

fail() {
  echo "README walkthrough FAILED: $*" >&2
  echo "--- last lines of the run command's output ($LOG) ---" >&2
  tail -n 60 "$LOG" >&2 || true
  exit 1
}

# The ```bash blocks of the "## Run it" section, each as a file of commands (continuation lines joined).
blocks_dir=$(mktemp -d)
awk -v dir="$blocks_dir" '
  /^## / { in_section = ($0 ~ /^## Run it/) }
  in_section && /^```bash$/ { n++; in_block = 1; next }
  in_block && /^```$/ { in_block = 0; next }
  in_block {
    line = $0
    if (pending != "") { sub(/^[ \t]+/, "", line); line = pending " " line }
    if (line ~ /\\$/) { sub(/[ \t]*\\$/, "", line); pending = line; next }
    pending = ""
    print line > (dir "/" n)
  }
' README.md
for n in 1 2 3; do
  [ -s "$blocks_dir/$n" ] || fail "README \"Run it\" has no bash block $n"
done
run_command=$(cat "$blocks_dir/1")
[ "$(wc -l < "$blocks_dir/1")" -eq 1 ] || fail "the run block is not one command: $run_command"
setup=$(grep '^export ' "$blocks_dir/2" || true)

# Runs one README command with the block's exports; prints its output.
readme() { bash -c "$setup"$'\n'"$1" 2>&1; }

# Runs each command of block $1 once, then repeats its last command until its output matches $2 (a grep -E pattern
# over the whole output, newlines included).
run_block() {
  local block=$1 expect=$2 output="" tries=0
  mapfile -t commands < <(grep -v '^export ' "$blocks_dir/$block")
  for command in "${commands[@]}"; do
    echo "\$ $command"
    output=$(readme "$command") || fail "block $block: '$command' failed: $output"
    echo "$output"
  done
  local last=${commands[${#commands[@]}-1]}
  until grep -Ezq "$expect" <<< "$output"; do
    tries=$((tries + 1))
    [ "$tries" -le 30 ] || fail "block $block: '$last' never printed /$expect/; last output: $output"
    sleep 1
    output=$(readme "$last") || fail "block $block: '$last' failed: $output"
  done
  echo "block $block: found /$expect/"
}

echo "\$ $run_command"
setsid bash -c "$run_command" > "$LOG" 2>&1 &
run_pid=$!
stop() { kill -TERM -- "-$run_pid" 2>/dev/null || true; }
trap stop EXIT

deadline=$((SECONDS + 300))
until curl -fsS "$READINESS" 2>/dev/null | grep -q '"status":"UP"'; do
  kill -0 "$run_pid" 2>/dev/null || fail "the run command exited before readiness was UP"
  [ "$SECONDS" -lt "$deadline" ] || fail "readiness not UP on $READINESS within 300 s"
  sleep 2
done
echo "readiness UP after ${SECONDS} s"
grep -q "Started EventPersisterApplication" "$LOG" || fail "the run command did not start EventPersisterApplication"

run_block 2 '"unique_id"[^}]*"0b6f8a52-6a0e-4d55-9a53-8f3c2f1d7e01"'
run_block 3 '"persister-error"[^}]*"not-json"'

echo "\$ kill -TERM (the run command)"
trap - EXIT
kill -TERM -- "-$run_pid"
for _ in $(seq 1 60); do
  kill -0 "$run_pid" 2>/dev/null || break
  sleep 1
done
if kill -0 "$run_pid" 2>/dev/null; then
  kill -KILL -- "-$run_pid" 2>/dev/null || true
  fail "the run command did not stop within 60 s of SIGTERM"
fi
if curl -fsS "$READINESS" >/dev/null 2>&1; then
  fail "something still answers on 8081 after SIGTERM"
fi
echo "README walkthrough passed"
