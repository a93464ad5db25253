#!/usr/bin/env bash
# `npm run demo`: the local stack, a worker, one real web-app-stack validation with live progress, the report
# and the Web UI link. The stack stays up for inspection afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
[[ -d node_modules ]] || npm ci --no-audit --no-fund
bash scripts/stack-up.sh
# shellcheck disable=SC1091
source .stack/env
export KUBEPROOF_PROBE_LOOPBACK_ONLY=true
status=0
node bin/kubeproof.js run "${1:-web-app-stack}" --embedded-worker --cluster-name "$KUBEPROOF_CLUSTER_NAME" || status=$?
cat <<MSG

The local stack is still running:
  Temporal Web UI   $TEMPORAL_UI_URL
  kubeconfig        $KUBECONFIG   (kubectl: ~/.cache/kubeproof/bin/kubectl)
  environment       source .stack/env
Stop it with:       npm run stack:down
MSG
exit "$status"
