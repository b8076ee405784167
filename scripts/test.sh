#!/usr/bin/env bash
# Runs the test suite. pytest's exit code 5 (no tests collected) is a failure here.
set -uo pipefail
cd "$(dirname "$0")/.."
python3 -m pytest "$@"
status=$?
if [[ $status -eq 5 ]]; then
  echo "no tests were collected: failing" >&2
  exit 1
fi
exit $status
