#!/usr/bin/env bash
# Installs everything the tests need (idempotent, pinned) and runs every
# test, emulators included. A missing emulator fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-test-deps.sh
TOOLS=${STOWAGE_TOOLS:-$HOME/.cache/stowage}
export STOWAGE_REQUIRE_EMULATORS=true

echo "== gofmt"
unformatted=$(gofmt -l $(git ls-files '*.go'))
if [[ -n $unformatted ]]; then
  echo "not gofmt-clean:"; echo "$unformatted"; exit 1
fi
echo "== go vet"
go vet ./...
echo "== staticcheck"
"$TOOLS/bin/staticcheck" ./...
echo "== go test"
go test -count=1 -timeout 75m ./...
