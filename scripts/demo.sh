#!/usr/bin/env bash
# make demo: the provider's main job end to end on a machine with nothing set up. It builds
# the provider and a fake ISC tenant, starts the fake on 127.0.0.1 with its demo catalogue,
# plans examples/demo with the real Terraform CLI (the provider taken from the fresh build
# through dev_overrides), which finds the sources by filter and by name and prints their
# usage data, and a table of the dormant accounts of one source. The fake stops when the
# script exits.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
scripts/tools.sh terraform

work="$root/.tools/demo"
rm -rf "$work" && mkdir -p "$work/bin"
echo "demo: building the provider and the fake tenant" >&2
go build -ldflags "-X main.version=demo" -o "$work/bin/terraform-provider-sailpoint" .
go build -o "$work/fakeisc" ./internal/cmd/fakeisc

# The fake writes the CLI configuration (dev_overrides to the fresh provider build) before
# the env file, so once the env file exists both are in place.
"$work/fakeisc" -addr 127.0.0.1:0 -env-file "$work/fake.env" \
  -cli-config "$work/terraformrc" -provider-dir "$work/bin" >"$work/fakeisc.log" 2>&1 &
fake_pid=$!
trap 'kill "$fake_pid" 2>/dev/null || true; wait "$fake_pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  [ -s "$work/fake.env" ] && break
  kill -0 "$fake_pid" 2>/dev/null || { cat "$work/fakeisc.log" >&2; echo "demo: the fake tenant did not start" >&2; exit 1; }
  sleep 0.1
done
[ -s "$work/fake.env" ] || { echo "demo: the fake tenant did not start within 10 s" >&2; exit 1; }
set -a
# shellcheck disable=SC1091
. "$work/fake.env"
set +a
echo "demo: fake tenant at $SAIL_BASE_URL" >&2

export TF_CLI_CONFIG_FILE="$work/terraformrc" TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1
terraform=${TERRAFORM:-$root/.tools/bin/terraform}
echo "demo: $("$terraform" version | head -n1): terraform plan examples/demo" >&2
"$terraform" -chdir=examples/demo plan -input=false -no-color
