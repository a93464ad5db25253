#!/usr/bin/env bash
# `npm test`: brings the local stack up when it is not running (and takes it down afterwards only if it
# started it), bundles the workflow code once, then runs unit, workflow and integration tests.
set -euo pipefail
cd "$(dirname "$0")/.."
[[ -d node_modules ]] || npm ci --no-audit --no-fund

# shellcheck source=scripts/apt-packages.sh
source scripts/apt-packages.sh
# The Temporal CLI is installed into a venv; Debian's python3 needs python3-venv for that.
python3 -c 'import ensurepip' 2>/dev/null || require_debian_packages "the local stack's Temporal CLI" python3-venv
# The Web UI test drives Debian's Chromium (playwright-core never downloads a browser of its own).
[[ -x "${KUBEPROOF_CHROMIUM:-/usr/bin/chromium}" ]] || require_debian_packages "the Web UI test (or set KUBEPROOF_CHROMIUM)" chromium
# Prometheus and Alertmanager are installed by stack-up.sh, which starts the stack when it is down.

started_stack=0
cleanup() { if ((started_stack)); then bash scripts/stack-down.sh || true; fi; }
trap cleanup EXIT
if [[ "$(node --import tsx scripts/stack/status.ts)" != "up" ]]; then
  # Set before starting: a stack:up that fails halfway still gets its processes stopped.
  started_stack=1
  bash scripts/stack-up.sh
fi

# shellcheck disable=SC1091
source .stack/env
export KUBEPROOF_PROBE_LOOPBACK_ONLY=true
mkdir -p test-output
node --import tsx test/helpers/prebundle.ts

shopt -s globstar nullglob
# Two passes, because node's test runner sorts the files it is given: the fault-injection suite must come after
# everything else (it kills and restarts stack components; stack:up brings them back), and its last file checks
# that the whole suite left nothing behind.
main=(test/unit/**/*.test.ts test/workflows/**/*.test.ts test/integration/**/*.test.ts)
faults=(test/faults/**/*.test.ts)
if [[ "${1:-}" == "--faults-only" ]]; then
  shift
  main=()
fi
rm -f test-output/reliability.jsonl
rc=0
if ((${#main[@]})); then
  node --import tsx --test --test-concurrency=1 --test-reporter=spec "${main[@]}" "$@" || rc=$?
fi
node --import tsx --test --test-concurrency=1 --test-reporter=spec "${faults[@]}" "$@" || rc=$?
exit "$rc"
