#!/usr/bin/env bash
# CI for clients/js (testsync-client): installs the locked dependencies, type-checks the
# declarations, and runs the tests against the built server jar ($TESTSYNC_JAR, default
# ../../server/target/testsync.jar: build it first) and Debian's Chromium. Fails when a test
# fails, and when no test ran.
set -euo pipefail
cd "$(dirname "$0")"

# playwright-core drives the system Chromium: never let a tool download a browser.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "clients/js: node and npm are needed (Node 18+; the tests use Node 20+)" >&2; exit 1
fi
if [ ! -x "${TESTSYNC_CHROMIUM:-/usr/bin/chromium}" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "== installing Debian's chromium for the browser test"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "clients/js: no Chromium at /usr/bin/chromium: apt-get install -y chromium (or set TESTSYNC_CHROMIUM)" >&2; exit 1
  fi
fi

echo "== clients/js: npm ci"
npm ci --no-audit --no-fund

echo "== clients/js: type-check the declarations"
npx tsc -p test/types

echo "== clients/js: node --test (server jar: ${TESTSYNC_JAR:-../../server/target/testsync.jar})"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
node --test --test-concurrency=1 --test-timeout=120000 --test-reporter=spec test/*.test.js 2>&1 | tee "$log" || status=$?
if [ "$status" -ne 0 ]; then echo "clients/js: tests failed" >&2; exit "$status"; fi
ran=$(sed -n 's/^ℹ tests \([0-9]*\)$/\1/p' "$log" | tail -1)
if [ -z "$ran" ] || [ "$ran" -eq 0 ]; then echo "clients/js: no test ran" >&2; exit 1; fi
echo "== clients/js: $ran tests passed"
