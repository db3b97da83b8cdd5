#!/usr/bin/env bash
# make bench: builds what the benchmark needs and runs it (internal/bench), which rewrites
# BENCHMARKS.md, bench/plan-time.png and bench/results.json. Extra arguments go to the bench
# program; a quick check while developing, which writes elsewhere:
#   scripts/bench.sh -n 1,50 -cpu-reads 50 -cpu-runs 1 -accounts 50 -unthrottled 300 -gobench=false -root /tmp/bench
# Render BENCHMARKS.md and the chart again from saved results, running nothing:
#   go run ./internal/bench -render bench/results.json
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
scripts/tools.sh terraform

bin="$root/.tools/bench-bin"
mkdir -p "$bin"
version=$(git describe --tags --always --dirty 2>/dev/null || echo dev)
echo "bench: building the providers ($version) and the bench program" >&2
# Built as .goreleaser.yml builds a release (static, -trimpath, -s -w), so the provider
# process has a release's size and start-up cost.
CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=$version" -o "$bin/benchprovider" ./internal/bench/benchprovider
go build -o "$bin/bench" ./internal/bench

# exec: an interrupt reaches the bench program, which stops the providers and Terraform.
exec "$bin/bench" -root "$root" -terraform "$root/.tools/bin/terraform" -provider "$bin/benchprovider" "$@"
