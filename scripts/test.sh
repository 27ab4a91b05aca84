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
# Fuzzing, briefly: every target for a few seconds past its seed corpus
# (path rules, parameter decoding, every config loader, the upload state,
# gocloud keys). STOWAGE_FUZZTIME=0 leaves it out.
fuzztime=${STOWAGE_FUZZTIME:-5s}
if [[ $fuzztime != 0 ]]; then
  for target in driver:FuzzPath configmap:FuzzLoad configmap:FuzzParseSet configmap:FuzzDecode \
      configmap:FuzzParseSize configmap:FuzzParseURL configmap:FuzzLoadSet internal/multipart:FuzzState \
      gocloud/stowageblob:FuzzKeyPath; do
    pkg=${target%%:*} name=${target#*:}
    echo "== fuzz $pkg $name ($fuzztime)"
    # A failing input is written to the package's testdata and fails the
    # second try too; a second try only forgives the fuzzer's own hiccups.
    go test -run '^$' -fuzz "^$name\$" -fuzztime "$fuzztime" "./$pkg" ||
      go test -run '^$' -fuzz "^$name\$" -fuzztime "$fuzztime" "./$pkg"
  done
fi
echo "== go test (distribution: distribution's driver suite, 5 GiB streams on filesystem, s3 and swift, end-to-end registry)"
(cd distribution && go test -count=1 -timeout 75m ./...)
