#!/usr/bin/env bash
# make bench: builds everything the benchmarks need and runs them (internal/bench/cmd/bench),
# which rewrites BENCHMARKS.md, bench/plan-time.png and bench/results.json. Extra arguments
# go to the bench program, e.g. `scripts/bench.sh -n 1,50 -runs 1 -rate-n 0 -gobench=false`
# for a quick check while developing. To render BENCHMARKS.md and the chart again from the
# saved results without running anything: go run ./internal/bench/cmd/bench -render bench/results.json
#
# It builds, from this checkout: Terraform (scripts/tools.sh, reused when present), the
# provider, the no-op baseline provider, the plugintimer wrapper that measures a provider's
# CPU and memory, the fake ISC tenant, and the bench program. Every process the bench program
# starts is stopped when it exits, fails or is interrupted.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
scripts/tools.sh terraform

bin="$root/.tools/bench-bin"
mkdir -p "$bin"
version=$(git describe --tags --always --dirty 2>/dev/null || echo dev)
echo "bench: building the provider ($version), the baseline provider, plugintimer, the fake tenant and the bench program" >&2
# The providers are built as .goreleaser.yml builds a release (static, -trimpath, -s -w), so
# that the binaries Terraform loads have a release's size and start-up cost.
CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=$version" -o "$bin/terraform-provider-sailpoint" .
CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$bin/terraform-provider-benchnoop" ./internal/bench/cmd/benchnoop
go build -ldflags "-s -w" -o "$bin/plugintimer" ./internal/bench/cmd/plugintimer
go build -o "$bin/fakeisc" ./internal/cmd/fakeisc
go build -o "$bin/bench" ./internal/bench/cmd/bench

# exec: signals from make or a terminal reach the bench program directly, which stops the
# fake tenant and any Terraform run in progress before it exits.
exec "$bin/bench" \
  -root "$root" \
  -terraform "$root/.tools/bin/terraform" \
  -provider "$bin/terraform-provider-sailpoint" \
  -noop "$bin/terraform-provider-benchnoop" \
  -plugintimer "$bin/plugintimer" \
  -fakeisc "$bin/fakeisc" \
  "$@"
