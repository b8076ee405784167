#!/usr/bin/env bash
# Runs the test suite with the project's virtual environment (scripts/install.sh --test makes
# it). pytest's exit code 5 (no tests collected) is a failure here.
set -uo pipefail
cd "$(dirname "$0")/.."
if [[ ! -x .venv/bin/python ]]; then
  echo "no .venv here: run 'bash scripts/install.sh --test' first" >&2
  exit 2
fi
# The console scripts the tests start (scrapyd) are in .venv/bin; BUDGETS_TEST_INSTALLED makes a
# component that scripts/install.sh installs and that is missing fail the run instead of
# skipping its tests (tests/installed_components.py).
export PATH="$PWD/.venv/bin:$PATH" BUDGETS_TEST_INSTALLED=1
# --fast leaves out the tests marked slow (processes, servers, crawls, the browser, the whole
# corpus): -m "not slow". Without it the whole suite runs, as CI does.
args=()
for arg in "$@"; do
  if [[ $arg == --fast ]]; then args+=(-m "not slow"); else args+=("$arg"); fi
done
# One worker per core (BUDGETS_TEST_WORKERS=0 runs in this process); a module's tests stay on one
# worker so its module-scoped fixtures (crawls, served databases) are built once.
.venv/bin/python -m pytest -n "${BUDGETS_TEST_WORKERS:-auto}" --dist loadfile ${args[@]+"${args[@]}"}
status=$?
if [[ $status -eq 5 ]]; then
  echo "no tests were collected: failing" >&2
  exit 1
fi
exit $status
