#!/usr/bin/env bash
# `npm test`: brings the local stack up when it is not running (and takes it down afterwards only if it
# started it), bundles the workflow code once, then runs unit, workflow and integration tests.
set -euo pipefail
cd "$(dirname "$0")/.."
[[ -d node_modules ]] || npm ci --no-audit --no-fund

# The Temporal CLI is installed into a venv; Debian's python3 needs python3-venv for that.
if ! python3 -c 'import ensurepip' 2>/dev/null; then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
  else
    echo "the local stack needs Python's venv module: install python3-venv" >&2
    exit 1
  fi
fi

# The Web UI test drives Debian's Chromium (playwright-core never downloads a browser of its own).
if [[ ! -x "${KUBEPROOF_CHROMIUM:-/usr/bin/chromium}" ]]; then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    echo "installing Debian's chromium for the Web UI test" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "the Web UI test needs Chromium: install Debian's 'chromium' package or set KUBEPROOF_CHROMIUM" >&2
    exit 1
  fi
fi

# Monitoring on the local stack: Debian's Prometheus and Alertmanager (no service is started by the package).
if [[ ! -x /usr/bin/prometheus || ! -x /usr/bin/prometheus-alertmanager ]] && [[ "${KUBEPROOF_MONITORING:-true}" != "false" ]]; then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    echo "installing Debian's prometheus and prometheus-alertmanager for the local stack" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus prometheus-alertmanager >/dev/null
  else
    echo "the local stack needs Debian's prometheus and prometheus-alertmanager packages (or KUBEPROOF_MONITORING=false)" >&2
    exit 1
  fi
fi

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
