#!/usr/bin/env bash
# Runs the test suite with the project's virtual environment (scripts/install.sh --test makes
# it). pytest's exit code 5 (no tests collected) is a failure here.
set -uo pipefail
cd "$(dirname "$0")/.."
if [[ ! -x .venv/bin/python ]]; then
  echo "no .venv here: run 'bash scripts/install.sh --test' first" >&2
  exit 2
fi
.venv/bin/python -m pytest "$@"
status=$?
if [[ $status -eq 5 ]]; then
  echo "no tests were collected: failing" >&2
  exit 1
fi
exit $status
