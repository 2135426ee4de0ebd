#!/usr/bin/env bash
# The live page (/ui/, issue 10) in a real headless Chromium against the built jar ($TESTSYNC_JAR,
# default ../server/target/testsync.jar, built when missing). Uses Debian's chromium
# ($TESTSYNC_CHROMIUM, default /usr/bin/chromium; installed with apt when absent): playwright-core
# never downloads a browser. Fails when a test fails, and when no test ran.
set -euo pipefail
cd "$(dirname "$0")"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "ui-test: node and npm are needed (Node 20+)" >&2; exit 1
fi
if [ ! -x "${TESTSYNC_CHROMIUM:-/usr/bin/chromium}" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "== ui-test: installing Debian's chromium"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "ui-test: no Chromium at /usr/bin/chromium: apt-get install -y chromium (or set TESTSYNC_CHROMIUM)" >&2; exit 1
  fi
fi
if [ -z "${TESTSYNC_JAR:-}" ] && [ ! -f ../server/target/testsync.jar ]; then
  echo "== ui-test: building the jar"
  (cd .. && mvn -B -ntp -q -DskipTests -pl server -am package)
fi

echo "== ui-test: npm ci"
npm ci --no-audit --no-fund --loglevel=error
echo "== ui-test: the live page in headless Chromium (jar: ${TESTSYNC_JAR:-../server/target/testsync.jar})"
out=$(mktemp)
trap 'rm -f "$out"' EXIT
node --test --test-reporter=spec 2>&1 | tee "$out"
if grep -q '^ℹ tests 0$' "$out"; then echo "ui-test: no test ran" >&2; exit 1; fi
echo "== ui-test: screenshot of the run page in ui-test/target/live-page.png"
