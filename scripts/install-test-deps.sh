#!/usr/bin/env bash
# Installs, idempotently and at pinned versions, everything the tests need:
# MinIO, fake-gcs-server, staticcheck (Go module proxy), Azurite (npm),
# OpenStack Swift and memcached (Debian packages). Binaries go to
# $STOWAGE_TOOLS (default ~/.cache/stowage), never into the repository.
set -euo pipefail

MINIO_VERSION=v0.0.0-20260212201848-7aac2a2c5b7c
FAKE_GCS_VERSION=v1.56.1
AZURITE_VERSION=3.37.0
STATICCHECK_VERSION=v0.8.2
SWIFT_PACKAGES=(swift swift-proxy swift-account swift-container swift-object memcached)

TOOLS=${STOWAGE_TOOLS:-$HOME/.cache/stowage}
BIN=$TOOLS/bin
STAMPS=$TOOLS/stamps
mkdir -p "$BIN" "$STAMPS"

log() { printf 'install-test-deps: %s\n' "$*" >&2; }

# go_tool NAME MODULE VERSION: go install MODULE@VERSION into $BIN unless the
# stamp says that version is there.
go_tool() {
  local name=$1 module=$2 version=$3
  if [[ -x $BIN/$name && "$(cat "$STAMPS/$name" 2>/dev/null)" == "$version" ]]; then
    return
  fi
  log "building $name $version (MinIO takes several minutes)"
  GOBIN=$BIN GOFLAGS=-mod=mod go install "$module@$version"
  echo "$version" >"$STAMPS/$name"
}

go_tool minio github.com/minio/minio "$MINIO_VERSION" &
minio_pid=$!
go_tool fake-gcs-server github.com/fsouza/fake-gcs-server "$FAKE_GCS_VERSION"
go_tool staticcheck honnef.co/go/tools/cmd/staticcheck "$STATICCHECK_VERSION"

if [[ ! -x $TOOLS/npm/node_modules/.bin/azurite-blob || "$(cat "$STAMPS/azurite" 2>/dev/null)" != "$AZURITE_VERSION" ]]; then
  log "installing azurite $AZURITE_VERSION"
  mkdir -p "$TOOLS/npm"
  npm install --no-audit --no-fund --prefix "$TOOLS/npm" "azurite@$AZURITE_VERSION" >&2
  echo "$AZURITE_VERSION" >"$STAMPS/azurite"
fi
ln -sf "$TOOLS/npm/node_modules/.bin/azurite-blob" "$BIN/azurite-blob"

missing=()
for p in "${SWIFT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  log "installing Debian packages: ${missing[*]}"
  SUDO=; [[ $(id -u) -ne 0 ]] && SUDO=sudo
  $SUDO apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
  # The packages start system services on some machines; the tests run
  # their own Swift and memcached on free ports.
  for s in memcached swift-proxy swift-account swift-container swift-object; do
    $SUDO systemctl disable --now "$s" >/dev/null 2>&1 || true
  done
fi

wait "$minio_pid"
log "ready: $(ls "$BIN" | tr '\n' ' ')"
