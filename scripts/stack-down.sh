#!/usr/bin/env bash
# Stops what stack-up.sh started (by recorded PID) and removes the state directory.
set -euo pipefail
cd "$(dirname "$0")/.."
exec node --import tsx scripts/stack/down.ts "$@"
