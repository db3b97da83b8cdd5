#!/usr/bin/env bash
# make fuzz: runs every fuzz target of the module for a bounded time each (default 30s).
# Their seeds (f.Add and testdata/fuzz) already run in every go test; this explores beyond
# them. A failure leaves the crashing input in the package's testdata/fuzz: commit it as a
# regression seed once fixed.
set -euo pipefail
fuzztime=${1:-30s}
cd "$(dirname "$0")/.."

status=0
for pkg in $(go list ./...); do
  for target in $(go test -list '^Fuzz' "$pkg" | grep '^Fuzz' || true); do
    echo "=== $target ($pkg, $fuzztime)"
    go test -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzztime" "$pkg" || status=1
  done
done
exit $status
