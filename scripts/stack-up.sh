#!/usr/bin/env bash
# Starts the local stack (Temporal dev server + Kubernetes control plane with KWOK). See scripts/stack/up.ts.
set -euo pipefail
cd "$(dirname "$0")/.."
[[ -d node_modules ]] || npm ci --no-audit --no-fund
exec node --import tsx scripts/stack/up.ts "$@"
