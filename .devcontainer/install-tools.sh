#!/usr/bin/env bash
# Installs the cluster tools at the versions README.md states, from their release binaries,
# each checked against the SHA-256 its release publishes; then `npm ci`.
#   bash .devcontainer/install-tools.sh                 everything (the devcontainer's onCreateCommand)
#   bash .devcontainer/install-tools.sh kubectl kind    only those tools, no npm ci (CI uses this)
# A tool already present at its pinned version is left alone, so running it again is cheap.
set -euo pipefail

KUBECTL_VERSION=1.36.4
KIND_VERSION=0.32.0
SKAFFOLD_VERSION=2.24.0

BIN_DIR=${BIN_DIR:-/usr/local/bin}
SUDO=$([ "$(id -u)" = 0 ] || [ -w "$BIN_DIR" ] || echo sudo)

case "$(uname -m)" in
  x86_64 | amd64) ARCH=amd64 ;;
  aarch64 | arm64) ARCH=arm64 ;;
  *) echo "install-tools: unsupported CPU architecture $(uname -m); install kubectl, kind and skaffold yourself." >&2; exit 1 ;;
esac

say() { printf '\033[2m[install-tools]\033[0m %s\n' "$*"; }

# install_tool NAME VERSION URL CHECKSUM_URL CURRENT_VERSION_COMMAND...
install_tool() {
  local name=$1 version=$2 url=$3 sum_url=$4; shift 4
  if command -v "$name" >/dev/null 2>&1 && "$@" 2>/dev/null | grep -q "v$version\b"; then
    say "$name $version already installed"
    return
  fi
  local started=$SECONDS dir
  dir=$(mktemp -d)
  say "$name $version: downloading $url"
  curl -fsSL --retry 3 -o "$dir/$name" "$url"
  # Release checksum files hold either the bare hash or "<hash>  <file>": keep the hash.
  local expected
  expected=$(curl -fsSL --retry 3 "$sum_url" | awk '{print $1; exit}')
  if ! echo "$expected  $dir/$name" | sha256sum --check --quiet - >/dev/null 2>&1; then
    echo "install-tools: $name $version from $url does not match its published checksum ($sum_url); not installing it. Retry, or check your network/proxy." >&2
    rm -rf "$dir"
    exit 1
  fi
  $SUDO install -m 0755 "$dir/$name" "$BIN_DIR/$name"
  rm -rf "$dir"
  say "$name $version: installed in $((SECONDS - started))s"
}

install_kubectl() {
  local base="https://dl.k8s.io/release/v$KUBECTL_VERSION/bin/linux/$ARCH/kubectl"
  install_tool kubectl "$KUBECTL_VERSION" "$base" "$base.sha256" kubectl version --client
}

install_kind() {
  local base="https://github.com/kubernetes-sigs/kind/releases/download/v$KIND_VERSION/kind-linux-$ARCH"
  install_tool kind "$KIND_VERSION" "$base" "$base.sha256sum" kind version
}

install_skaffold() {
  local base="https://github.com/GoogleContainerTools/skaffold/releases/download/v$SKAFFOLD_VERSION/skaffold-linux-$ARCH"
  install_tool skaffold "$SKAFFOLD_VERSION" "$base" "$base.sha256" skaffold version
}

tools=("$@")
[ ${#tools[@]} -gt 0 ] || tools=(kubectl kind skaffold)
for tool in "${tools[@]}"; do
  case "$tool" in
    kubectl | kind | skaffold) "install_$tool" ;;
    *) echo "install-tools: unknown tool '$tool'; choose from kubectl, kind, skaffold." >&2; exit 1 ;;
  esac
done

if [ $# -eq 0 ]; then
  cd "$(dirname "$0")/.."
  started=$SECONDS
  say "npm ci"
  npm ci --no-audit --no-fund
  say "npm ci: done in $((SECONDS - started))s"
fi
