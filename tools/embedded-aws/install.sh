#!/usr/bin/env bash
# Installs the Node.js emulators of the embedded test stack, dynalite (DynamoDB) and s3rver (S3), each from its
# committed package-lock.json.
set -euo pipefail
cd "$(dirname "$0")"
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "[event-persister] The tests need Node.js >= 20 with npm for dynalite (DynamoDB emulator) and s3rver (S3 emulator): install it, e.g. 'apt-get install -y nodejs npm'." >&2
  exit 1
fi
major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$major" -lt 20 ]; then
  echo "[event-persister] The tests need Node.js >= 20 for dynalite (its package.json asks for it); found $(node --version): upgrade Node.js." >&2
  exit 1
fi
for emulator in dynalite s3rver; do
  (
    cd "$emulator"
    # npm ci only when the lock changed since the last install: it wipes node_modules each time.
    if [ -f node_modules/.package-lock.json ] && cmp -s package-lock.json node_modules/.install-stamp; then
      exit 0
    fi
    npm ci --no-audit --no-fund --loglevel=error
    cp package-lock.json node_modules/.install-stamp
  )
done
