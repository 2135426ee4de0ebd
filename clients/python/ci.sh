#!/usr/bin/env bash
# Tests of the Python client: a fresh venv, the package and its test extras from PyPI (pinned by
# constraints.txt), mypy --strict, then pytest against the real server jar.
#   clients/python/ci.sh [path/to/testsync.jar [pytest args…]]   (default jar: server/target/testsync.jar)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
jar="$(realpath -m "${1:-$repo/server/target/testsync.jar}")"
[[ $# -gt 0 ]] && shift
if [[ ! -f "$jar" ]]; then
  echo "clients/python/ci.sh: server jar $jar not found; build it with: mvn -q -DskipTests package -pl server -am" >&2
  exit 1
fi
python="${PYTHON:-python3}"

venv="$(mktemp -d -t testsync-py-ci.XXXXXX)"
trap 'rm -rf "$venv"' EXIT
"$python" -m venv "$venv"
"$venv/bin/python" -m pip install -q --disable-pip-version-check -c "$here/constraints.txt" "$here[test]"

cd "$here"
echo "== mypy --strict (clients/python/src)"
"$venv/bin/python" -m mypy --config-file pyproject.toml

echo "== pytest (clients/python/tests) against $jar"
status=0
TESTSYNC_JAR="$jar" "$venv/bin/python" -m pytest -p no:cacheprovider -ra "$@" || status=$?
if [[ $status -eq 5 ]]; then
  echo "clients/python/ci.sh: pytest collected no tests: that is a failure" >&2
  exit 1
fi
exit $status
