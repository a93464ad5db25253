#!/usr/bin/env bash
# Builds kube-burner once into the same cache as the local control plane (see scripts/build-cluster.sh), for
# the peer benchmark in bench/peers.
#
# Why not `go install github.com/kube-burner/kube-burner/v2@v2.7.3`: its go.mod carries `replace` directives,
# which `go install pkg@version` refuses. So we download the module, copy it out of the read-only module
# cache, and `go build` inside it, where its own go.mod (replaces included) applies unmodified.
#
# Idempotent: a binary whose version stamp matches is never rebuilt. Cold build: a few minutes on 2 cores.
set -euo pipefail

KB_VERSION="${KUBEPROOF_KUBE_BURNER_VERSION:-v2.7.3}"
MODULE="github.com/kube-burner/kube-burner/v2"

CACHE="${KUBEPROOF_CACHE:-$HOME/.cache/kubeproof}"
BIN="$CACHE/bin"
WORK="$CACHE/build"
export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-mod=mod
export GOMODCACHE="${GOMODCACHE_OVERRIDE:-$CACHE/gomod}"
export GOCACHE="${GOCACHE:-$HOME/.cache/go-build}"
mkdir -p "$BIN" "$WORK"

log() { printf '[build-kube-burner %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

if [[ -x "$BIN/kube-burner" && "$(cat "$BIN/kube-burner.version" 2>/dev/null)" == "$KB_VERSION" ]]; then
  log "kube-burner $KB_VERSION cached at $BIN/kube-burner"
  exit 0
fi
command -v go >/dev/null || { log "go is not installed: install Go >= 1.25 to build kube-burner"; exit 1; }

log "downloading $MODULE@$KB_VERSION"
info=$(cd "$WORK" && go mod download -json "$MODULE@$KB_VERSION")
src=$(sed -n 's/.*"Dir": "\(.*\)",*/\1/p' <<<"$info")
[[ -d "$src" ]] || { log "could not download $MODULE@$KB_VERSION from the Go module proxy"; exit 1; }

dir="$WORK/kube-burner"
rm -rf "$dir" && cp -r "$src" "$dir" && chmod -R u+w "$dir"
commit=$(sed -n 's/.*"Hash": "\(.*\)",*/\1/p' <<<"$info")
pkg="github.com/cloud-bulldozer/go-commons/v2/version"
ld="-s -w -X $pkg.Version=$KB_VERSION -X $pkg.GitCommit=${commit:-unknown} -X $pkg.BuildDate=1970-01-01-00:00:00"

log "building kube-burner $KB_VERSION"
start=$(date +%s)
(cd "$dir" && go build -trimpath -ldflags "$ld" -o "$BIN/kube-burner" ./cmd/kube-burner)
printf '%s' "$KB_VERSION" >"$BIN/kube-burner.version"
rm -rf "$dir"
log "kube-burner built in $(($(date +%s) - start)) s: $BIN/kube-burner"
