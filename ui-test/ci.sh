#!/usr/bin/env bash
# The live page in a real headless Chromium against the built jar (issue 10). Called by .ci/run after
# `mvn verify` has built server/target/testsync.jar. Uses Debian's chromium (installed when absent);
# playwright-core never downloads a browser of its own.
set -euo pipefail
cd "$(dirname "$0")"

if [ ! -x /usr/bin/chromium ]; then
  echo "== installing Debian's chromium"
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi
if [ ! -f ../server/target/testsync.jar ]; then
  echo "== building the jar"
  (cd .. && mvn -B -ntp -q -DskipTests -pl server -am package)
fi

echo "== ui-test: npm ci"
PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
echo "== ui-test: the live page in headless Chromium"
node --test --test-reporter=spec
echo "== ui-test: screenshot in ui-test/target/live-page.png"
