#!/usr/bin/env bash
# Installs the pinned helm and kubeconform with `go install` and links them into .tools/bin (gitignored);
# prints that directory, to put on PATH. Builds are kept per version in a cache outside the work tree
# (LEADSTREAM_TOOLS_CACHE, default ~/.cache/leadstream-tools), so a fresh clone on the same machine, as
# CI's, builds nothing again; a version bump here builds the new one.
set -euo pipefail
cd "$(dirname "$0")/.."

HELM_VERSION=v3.22.0
KUBECONFORM_VERSION=v0.7.0

cache="${LEADSTREAM_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/leadstream-tools}"
bin="$PWD/.tools/bin"
mkdir -p "$bin"

install() {
  local name="$1" module="$2" version="$3"
  local dir="$cache/$name-$version"
  if [[ ! -x "$dir/$name" ]]; then
    echo "ops-tools: go install $module@$version" >&2
    mkdir -p "$dir"
    # Built into a scratch directory and moved, so an interrupted build never looks installed.
    local scratch
    scratch="$(mktemp -d "$cache/.build-XXXXXX")"
    GOBIN="$scratch" GOFLAGS=-buildvcs=false CGO_ENABLED=0 go install -trimpath "$module@$version" >&2
    mv "$scratch/$name" "$dir/$name"
    rmdir "$scratch"
  fi
  ln -sfn "$dir/$name" "$bin/$name"
}

install helm helm.sh/helm/v3/cmd/helm "$HELM_VERSION"
install kubeconform github.com/yannh/kubeconform/cmd/kubeconform "$KUBECONFORM_VERSION"

echo "$bin"
