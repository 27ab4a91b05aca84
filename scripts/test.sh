#!/usr/bin/env bash
# Installs everything the tests need (idempotent, pinned) and runs every
# test of both modules (the core, and distribution/ with distribution's own
# driver suite and an end-to-end registry), emulators included. A missing
# emulator fails the run.
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
for mod in . distribution; do
  echo "== go mod tidy ($mod)"
  if ! (cd "$mod" && go mod tidy -diff); then
    echo "$mod/go.mod is not tidy: run go mod tidy there"; exit 1
  fi
  echo "== go vet ($mod)"
  (cd "$mod" && go vet ./...)
  echo "== staticcheck ($mod)"
  (cd "$mod" && "$TOOLS/bin/staticcheck" ./...)
done
echo "== go test (core)"
go test -count=1 -timeout 75m ./...
echo "== go test (distribution: distribution's driver suite, 5 GiB streams on filesystem, s3 and swift, end-to-end registry)"
(cd distribution && go test -count=1 -timeout 75m ./...)
