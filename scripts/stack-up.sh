#!/usr/bin/env bash
# Starts the local stack (Temporal dev server + Kubernetes control plane with KWOK). See scripts/stack/up.ts.
set -euo pipefail
cd "$(dirname "$0")/.."
[[ -d node_modules ]] || npm ci --no-audit --no-fund
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

exec node --import tsx scripts/stack/up.ts "$@"
