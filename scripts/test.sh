#!/usr/bin/env bash
# The project's test command (README, CI): formatting, vet, the race-enabled test suite, and 1,000
# executions of each fuzz target. Runs offline after the first module download.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# Each step prints the seconds since the start, so a slow CI run says where its time went.
step() { echo "== $1 (at ${SECONDS}s)"; }

step gofmt
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
if [ -n "$unformatted" ]; then
  echo "gofmt would change:"; echo "$unformatted"; exit 1
fi

# vet builds what it checks with -race, as the tests do, so every package (the standard library
# included) compiles once for both: on a machine with an empty build cache that is minutes.
step "go vet"
go vet -race ./...

step "go test -race"
go test -race -count=1 -vet=off ./...

# Each fuzz target briefly: a bounded number of executions, not a time budget (a deadline that
# expires while the engine gathers its baseline on a loaded machine fails the run). FUZZTIME=0
# skips; longer runs by hand: FUZZTIME=5m scripts/test.sh.
FUZZTIME="${FUZZTIME:-1000x}"
if [ "$FUZZTIME" != "0" ]; then
  step "fuzz ($FUZZTIME each)"
  for pkg in $(go list ./...); do
    dir=$(go list -f '{{.Dir}}' "$pkg")
    for target in $(grep -hoE '^func (Fuzz[A-Za-z0-9_]+)\(' "$dir"/*_test.go 2>/dev/null | sed -E 's/^func (Fuzz[A-Za-z0-9_]+)\(/\1/' | sort -u); do
      echo "-- $pkg $target"
      go test -run='^$' -fuzz="^${target}\$" -fuzztime="$FUZZTIME" "$pkg"
    done
  done
fi
echo "== all checks passed (${SECONDS}s)"
