#!/usr/bin/env bash
# Starts the local stack (Temporal dev server + Kubernetes control plane with KWOK). See scripts/stack/up.ts.
set -euo pipefail
cd "$(dirname "$0")/.."
[[ -d node_modules ]] || npm ci --no-audit --no-fund
# shellcheck source=scripts/apt-packages.sh
source scripts/apt-packages.sh
# Monitoring on the local stack: Debian's Prometheus and Alertmanager (no service is started by the package).
if [[ "${KUBEPROOF_MONITORING:-true}" != "false" ]] && [[ ! -x /usr/bin/prometheus || ! -x /usr/bin/prometheus-alertmanager ]]; then
  require_debian_packages "the local stack's monitoring (or set KUBEPROOF_MONITORING=false)" --no-install-recommends prometheus prometheus-alertmanager
fi

exec node --import tsx scripts/stack/up.ts "$@"
