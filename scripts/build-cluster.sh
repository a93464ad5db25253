#!/usr/bin/env bash
# Builds the local control plane once into a cache: etcd, kube-apiserver, kube-controller-manager,
# kube-scheduler, kubectl (k8s.io/kubernetes) and kwok (sigs.k8s.io/kwok), all from Go modules.
#
# Why wrapper modules: k8s.io/kubernetes and go.etcd.io/etcd/server/v3 carry `replace` directives in their
# go.mod, so `go install pkg@version` refuses them. A tiny module of our own that requires them (and, for
# Kubernetes, replaces every staging module with its published v0.x twin) builds them unmodified.
#
# Idempotent: a binary whose version stamp matches is never rebuilt. Cold build: tens of minutes on 2 cores.
set -euo pipefail

K8S_VERSION="${KUBEPROOF_K8S_VERSION:-v1.36.3}"
ETCD_VERSION="${KUBEPROOF_ETCD_VERSION:-v3.6.16}"
KWOK_VERSION="${KUBEPROOF_KWOK_VERSION:-v0.8.0}"

CACHE="${KUBEPROOF_CACHE:-$HOME/.cache/kubeproof}"
BIN="$CACHE/bin"
WORK="$CACHE/build"
export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-mod=mod
# Keep the module cache under ~/.cache so it survives between sessions like the build cache does.
export GOMODCACHE="${GOMODCACHE_OVERRIDE:-$CACHE/gomod}"
export GOCACHE="${GOCACHE:-$HOME/.cache/go-build}"
mkdir -p "$BIN" "$WORK"

log() { printf '[build-cluster %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

stamp_ok() { [[ -x "$BIN/$1" && "$(cat "$BIN/$1.version" 2>/dev/null)" == "$2" ]]; }
stamp() { printf '%s' "$2" >"$BIN/$1.version"; }

command -v go >/dev/null || { log "go is not installed: install Go >= 1.26 (or bring your own cluster with KUBECONFIG)"; exit 1; }

build_etcd() {
  if stamp_ok etcd "$ETCD_VERSION"; then log "etcd $ETCD_VERSION cached"; return; fi
  log "building etcd $ETCD_VERSION"
  local dir="$WORK/etcd"
  rm -rf "$dir" && mkdir -p "$dir"
  cat >"$dir/go.mod" <<MOD
module kubeproof.local/etcd

go 1.26

require go.etcd.io/etcd/server/v3 $ETCD_VERSION
MOD
  cat >"$dir/main.go" <<'GO'
// Command etcd runs the etcd server from go.etcd.io/etcd/server/v3, unmodified.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }
GO
  (cd "$dir" && go mod tidy && go build -trimpath -ldflags '-s -w' -o "$BIN/etcd" .)
  stamp etcd "$ETCD_VERSION"
  log "etcd built"
}

build_kubernetes() {
  local all=1 b
  for b in kube-apiserver kube-controller-manager kube-scheduler kubectl; do stamp_ok "$b" "$K8S_VERSION" || all=0; done
  if ((all)); then log "kubernetes $K8S_VERSION cached"; return; fi
  log "building kubernetes $K8S_VERSION (kube-apiserver, kube-controller-manager, kube-scheduler, kubectl)"
  local dir="$WORK/kubernetes"
  rm -rf "$dir" && mkdir -p "$dir"
  local upstream_mod
  upstream_mod=$(cd "$dir" && go mod download -json "k8s.io/kubernetes@$K8S_VERSION" | sed -n 's/.*"GoMod": "\(.*\)",*/\1/p')
  [[ -f "$upstream_mod" ]] || { log "could not download k8s.io/kubernetes@$K8S_VERSION"; exit 1; }
  local staging_version="v0.${K8S_VERSION#v1.}"
  {
    printf 'module kubeproof.local/kubernetes\n\ngo 1.26\n\nrequire k8s.io/kubernetes %s\n\n' "$K8S_VERSION"
    # Every `k8s.io/X => ./staging/src/k8s.io/X` becomes `k8s.io/X => k8s.io/X v0.N.P`.
    grep -oE 'k8s\.io/[a-z0-9.-]+ => \./staging/src/k8s\.io/[a-z0-9.-]+' "$upstream_mod" |
      awk -v v="$staging_version" '{ print "replace " $1 " => " $1 " " v }'
  } >"$dir/go.mod"
  log "staging modules replaced: $(grep -c '^replace' "$dir/go.mod")"
  cat >"$dir/tools.go" <<'GO'
//go:build tools

// Package tools pins the Kubernetes commands this module builds.
package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kube-scheduler"
	_ "k8s.io/kubernetes/cmd/kubectl"
)
GO
  local minor="${K8S_VERSION#v1.}"; minor="${minor%%.*}"
  local ld="-s -w"
  local pkg
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ld+=" -X $pkg.gitVersion=$K8S_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
    ld+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=1970-01-01T00:00:00Z"
  done
  (cd "$dir" && go mod tidy && go build -trimpath -ldflags "$ld" -o "$BIN/" \
    k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager \
    k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kubectl)
  for b in kube-apiserver kube-controller-manager kube-scheduler kubectl; do stamp "$b" "$K8S_VERSION"; done
  log "kubernetes built"
}

build_kwok() {
  if stamp_ok kwok "$KWOK_VERSION" && [[ -d "$CACHE/kwok-stages/$KWOK_VERSION" ]]; then log "kwok $KWOK_VERSION cached"; return; fi
  log "building kwok $KWOK_VERSION"
  GOBIN="$BIN" go install -trimpath -ldflags '-s -w' "sigs.k8s.io/kwok/cmd/kwok@$KWOK_VERSION"
  # The upstream stage definitions live in the module under kustomize/stage/; keep a copy beside the binary.
  local src="$GOMODCACHE/sigs.k8s.io/kwok@$KWOK_VERSION/kustomize/stage"
  [[ -d "$src" ]] || (cd "$WORK" && go mod download "sigs.k8s.io/kwok@$KWOK_VERSION")
  rm -rf "$CACHE/kwok-stages/$KWOK_VERSION" && mkdir -p "$CACHE/kwok-stages"
  cp -r "$src" "$CACHE/kwok-stages/$KWOK_VERSION" && chmod -R u+w "$CACHE/kwok-stages/$KWOK_VERSION"
  stamp kwok "$KWOK_VERSION"
  log "kwok built"
}

start=$(date +%s)
build_etcd
build_kwok
build_kubernetes
log "all control-plane binaries ready in $BIN ($(($(date +%s) - start)) s)"
