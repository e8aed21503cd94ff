#!/usr/bin/env bash
# The project's test command (README, CI): formatting, the full go vet, the race-enabled test suite,
# and 1,000 executions of each fuzz target. Runs offline after the first module download.
#
# Every package is built once, with the race detector and the fuzzing instrumentation together, and
# that one build serves vet, the tests and the fuzz targets. Separate race and fuzzing builds
# compile every dependency (the standard library included) twice, and on a machine with an empty
# build cache, as CI's is, that second compilation alone took over seven minutes.
#
#   FUZZTIME=5m scripts/test.sh   longer fuzzing by hand (a count such as 5000x or a duration)
#   FUZZTIME=0 scripts/test.sh    no fuzzing: plain go vet and go test -race ./..., packages in parallel
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# Each step prints the seconds since the start, so a slow CI run says where its time went.
step() { echo "== $1 (at ${SECONDS}s)"; }
trap 'echo "== FAILED (at ${SECONDS}s)"' ERR

step gofmt
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
if [ -n "$unformatted" ]; then
  echo "gofmt would change:"; echo "$unformatted"; exit 1
fi

# A bounded number of executions, not a time budget: a deadline that expires while the engine
# gathers its baseline on a loaded machine fails the run.
FUZZTIME="${FUZZTIME:-1000x}"
if [ "$FUZZTIME" = "0" ]; then
  step "go vet"
  go vet -race ./...
  step "go test -race"
  go test -race -count=1 -vet=off ./...
  echo "== all checks passed, fuzzing skipped (${SECONDS}s)"
  exit 0
fi

# check PKG: go test accepts -fuzz for one package at a time. The first run of a package vets it
# (all analyzers, as go vet), runs its tests and fuzzes its first target; the others only fuzz. A
# package without fuzz targets builds with the same instrumentation (-fuzz='^$'), so that it shares
# the compiled dependencies.
check() {
  local pkg=$1 dir=. targets first target
  [ "$pkg" = "$MODULE" ] || dir="./${pkg#"$MODULE"/}"
  targets=$(grep -hoE '^func (Fuzz[A-Za-z0-9_]+)\(' "$dir"/*_test.go 2>/dev/null | sed -E 's/^func (Fuzz[A-Za-z0-9_]+)\(/\1/' | sort -u || true)
  first=$(echo "$targets" | head -n 1)
  echo "-- $pkg${first:+ $first}"
  go test -race -count=1 -vet=all -fuzz="^${first}\$" -fuzztime="$FUZZTIME" "$pkg" || return 1
  for target in $(echo "$targets" | tail -n +2); do
    echo "-- $pkg $target"
    go test -race -run='^$' -vet=off -fuzz="^${target}\$" -fuzztime="$FUZZTIME" "$pkg" || return 1
  done
}
export -f check
MODULE=$(go list -m)
export FUZZTIME MODULE

# The package with the most dependencies goes first, alone: it compiles nearly everything, which
# two go commands at once would each compile. The rest then run two at a time (the machine's cores).
pkgs=$(go list -f '{{len .Deps}} {{.ImportPath}}' ./... | sort -rn | cut -d' ' -f2)
step "vet, go test -race and fuzzing ($FUZZTIME per target): $(echo "$pkgs" | head -n 1)"
check "$(echo "$pkgs" | head -n 1)"
step "the same for the other packages, two at a time"
# Each package's output is printed in one piece once it is done; xargs fails if any package did.
echo "$pkgs" | tail -n +2 | xargs -P 2 -n 1 bash -c 'out=$(check "$1" 2>&1); rc=$?; printf "%s\n" "$out"; exit $rc' check
echo "== all checks passed (${SECONDS}s)"
