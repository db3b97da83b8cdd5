#!/usr/bin/env bash
# make release-check: proves, before any tag exists, that a release built by .goreleaser.yml is
# one the Terraform and OpenTofu registries accept and that `terraform init` installs.
#
#  1. actionlint over .github/workflows, and `goreleaser check` of .goreleaser.yml.
#  2. A GoReleaser snapshot of the release, for this platform only, versioned as the CHANGELOG's
#     next release with a pre-release part (0.1.0-SNAPSHOT-<commit>), signed with a throwaway
#     GPG key made in a temporary GNUPGHOME.
#  3. The names the registries require: the zip holding terraform-provider-sailpoint_vX.Y.Z
#     (static, -trimpath, version stamped), the SHA256SUMS file listing the zip and the
#     registry manifest, and its detached signature, which gpg verifies with the public key
#     alone, as the registries do.
#  4. Terraform and OpenTofu, each with an empty data directory and a CLI configuration whose
#     only installation method is a filesystem mirror holding that zip (packed layout), run
#     `init`: the lock file must record the h1: hash of exactly that zip and nothing else. Then
#     they plan a data source against the fake tenant with the installed provider.
#
# It prints one line saying what it proved; each step's output goes to a log shown on failure.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bin="$root/.tools/bin"

say() { echo "release-check: $*" >&2; }
fail() { echo "release-check: FAILED: $*" >&2; exit 1; }

for cmd in gpg unzip; do
  command -v "$cmd" >/dev/null || fail "$cmd is not installed (Debian: apt-get install -y gnupg unzip)"
done

scripts/tools.sh goreleaser actionlint terraform tofu
terraform="$bin/terraform"
tofu="$bin/tofu"

work=$(mktemp -d "${TMPDIR:-/tmp}/release-check.XXXXXX")
fake_pid=
cleanup() {
  if [ -n "$fake_pid" ]; then
    kill "$fake_pid" 2>/dev/null || true
    wait "$fake_pid" 2>/dev/null || true
  fi
  # gpg started an agent for each GNUPGHOME; stop them before their folders go.
  for home in "$work/gnupg" "$work/gnupg-verify"; do
    if [ -d "$home" ]; then GNUPGHOME="$home" gpgconf --kill gpg-agent 2>/dev/null || true; fi
  done
  rm -rf "$work"
}
trap cleanup EXIT

# run LOG CMD...: runs CMD with its output in $work/LOG, shown if it fails.
run() {
  local log="$work/$1"
  shift
  if ! "$@" >"$log" 2>&1; then
    cat "$log" >&2
    fail "$* (output above)"
  fi
}

# --- 1. The workflows and the release configuration.
say "actionlint .github/workflows"
run actionlint.log "$bin/actionlint"
say "goreleaser check"
run goreleaser-check.log "$bin/goreleaser" check

# --- 2. A signed snapshot release for this platform.
goos=$(go env GOOS)
goarch=$(go env GOARCH)
next=$(sed -n 's/^## \([0-9][0-9.]*\) .*/\1/p' CHANGELOG.md | head -n1)
[ -n "$next" ] || fail "CHANGELOG.md has no '## X.Y.Z (...)' heading to take the next version from"

# The release configuration with two changes: the builds are this platform's only (the real
# one builds 13 platforms, at about a minute each here), and the snapshot is
# versioned as the next release with a pre-release part, as a tag's version would look.
awk -v os="$goos" -v arch="$goarch" '
  /^    (goos|goarch):$/ { print; print "      - " ($1 == "goos:" ? os : arch); skip = 1; next }
  /^    ignore:$/ { skip = 1; next }
  skip && /^      / { next }
  { skip = 0; print }
' .goreleaser.yml >"$work/goreleaser.yml"
printf 'snapshot:\n  version_template: "%s-SNAPSHOT-{{ .ShortCommit }}"\n' "$next" >>"$work/goreleaser.yml"

# A throwaway signing key, in a GNUPGHOME that lives as long as this script.
export GNUPGHOME="$work/gnupg"
mkdir -m 700 "$GNUPGHOME"
run gpg-key.log gpg --batch --passphrase '' --quick-gen-key "release-check <release-check@invalid>" rsa4096 sign 1d
GPG_FINGERPRINT=$(gpg --batch --with-colons --list-secret-keys 2>>"$work/gpg-key.log" | awk -F: '/^fpr:/ { print $10; exit }')
export GPG_FINGERPRINT
[ -n "$GPG_FINGERPRINT" ] || fail "no fingerprint for the throwaway key"

# The release notes, as the release workflow makes them from CHANGELOG.md.
scripts/release-notes.sh "$next" >"$work/release-notes.md"

# Without a git remote (a fresh clone of a bundle, a local worktree) GoReleaser drops every
# piece of git information, the commit included; lend it the GitHub one for this run.
git_env=()
if [ -z "$(git remote)" ]; then
  git_env=(GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=remote.origin.url
    GIT_CONFIG_VALUE_0=https://github.com/sailpoint-community/terraform-provider-sailpoint.git)
fi

say "goreleaser release --snapshot for ${goos}_${goarch}, signed with a throwaway key"
run goreleaser.log env "${git_env[@]}" "$bin/goreleaser" release --snapshot --clean \
  --config "$work/goreleaser.yml" --release-notes "$work/release-notes.md"

# --- 3. The files and names the registries require.
version=$(sed -n 's/.*"version": *"\([^"]*\)".*/\1/p' dist/metadata.json | head -n1)
commit=${version#"$next"-SNAPSHOT-}
case "$(git rev-parse HEAD)" in
  "$commit"?*) ;;
  *) fail "dist/metadata.json: version '$version', want $next-SNAPSHOT-<the commit of HEAD>" ;;
esac
prefix="terraform-provider-sailpoint_${version}"
zip="dist/${prefix}_${goos}_${goarch}.zip"
sums="dist/${prefix}_SHA256SUMS"
manifest="${prefix}_manifest.json"
binary="terraform-provider-sailpoint_v${version}"
for f in "$zip" "$sums" "$sums.sig"; do
  [ -f "$f" ] || fail "$f is missing; dist/ holds: $(cd dist && ls)"
done
zips=$(find dist -maxdepth 1 -name '*.zip' | wc -l)
[ "$zips" -eq 1 ] || fail "dist/ holds $zips zip archives, want this platform's only"

# The binary at the zip's root, and beside it only the documents GoReleaser adds by default.
contents=$(unzip -Z1 "$zip" | LC_ALL=C sort | tr '\n' ' ')
[ "$contents" = "CHANGELOG.md LICENSE README.md $binary " ] ||
  fail "$zip holds $contents; want $binary at its root, with CHANGELOG.md, LICENSE and README.md"
unzip -q -d "$work/unzipped" "$zip"
shipped="$work/unzipped/$binary"
"$shipped" --help 2>&1 | grep -q -- -debug || fail "$binary --help does not offer -debug"
# Built as the registries need it: static, reproducible paths, the version stamped in.
buildinfo=$(go version -m "$shipped")
grep -q 'CGO_ENABLED=0' <<<"$buildinfo" || fail "$binary is not static (CGO_ENABLED=0)"
grep -q -- '-trimpath=true' <<<"$buildinfo" || fail "$binary was not built with -trimpath"
grep -aq -- "$version" "$shipped" || fail "$binary does not carry its version $version"

# SHA256SUMS lists exactly the zip and the manifest, with the right hashes.
expect=$(printf '%s  %s\n%s  %s\n' \
  "$(sha256sum "$zip" | cut -d' ' -f1)" "$(basename "$zip")" \
  "$(sha256sum terraform-registry-manifest.json | cut -d' ' -f1)" "$manifest" | sort)
[ "$(sort "$sums")" = "$expect" ] || fail "$sums is not the zip and the manifest:
$(cat "$sums")
want:
$expect"
grep -q '"protocol_versions": \["6.0"\]' terraform-registry-manifest.json ||
  fail "terraform-registry-manifest.json does not declare protocol 6.0, which main.go serves"

# The signature verifies with the public key alone, in a keyring that never held the secret.
gpg --batch --armor --export "$GPG_FINGERPRINT" >"$work/public.asc"
mkdir -m 700 "$work/gnupg-verify"
run gpg-import.log env GNUPGHOME="$work/gnupg-verify" gpg --batch --import "$work/public.asc"
run gpg-verify.log env GNUPGHOME="$work/gnupg-verify" gpg --batch --verify "$sums.sig" "$sums"
grep -q "Good signature" "$work/gpg-verify.log" || fail "gpg --verify: $(cat "$work/gpg-verify.log")"
say "$(basename "$zip"), $(basename "$sums") and its signature are as the registries require"

# --- 4. Installed from a filesystem mirror by Terraform and OpenTofu, then planned.
# Terraform and OpenTofu read the version from the zip's name and lower-case it: the snapshot
# installs as 0.1.0-snapshot-<commit>, and only that spelling matches an exact constraint.
installed_version=$(tr '[:upper:]' '[:lower:]' <<<"$version")
h1=$(go run ./scripts/h1hash "$zip")

run fakeisc-build.log go build -o "$work/fakeisc" ./internal/cmd/fakeisc
"$work/fakeisc" -env-file "$work/fake.env" >"$work/fakeisc.log" 2>&1 &
fake_pid=$!
for _ in $(seq 1 100); do
  [ -s "$work/fake.env" ] && break
  kill -0 "$fake_pid" 2>/dev/null || { cat "$work/fakeisc.log" >&2; fail "the fake tenant did not start"; }
  sleep 0.1
done
[ -s "$work/fake.env" ] || fail "the fake tenant did not start within 10 s"
mapfile -t sail_env <"$work/fake.env" # SAIL_BASE_URL=..., SAIL_CLIENT_ID=..., SAIL_CLIENT_SECRET=...

# install_and_plan NAME CLI HOST: init and plan with CLI, the provider in a mirror under HOST.
install_and_plan() {
  local name=$1 cli=$2 host=$3
  local dir="$work/$name"
  local mirror="$dir/mirror/$host/sailpoint-community/sailpoint"
  mkdir -p "$mirror" "$dir/config" "$dir/data" "$dir/home"
  cp "$zip" "$mirror/"
  cat >"$dir/cli.tfrc" <<EOF
provider_installation {
  filesystem_mirror {
    path    = "$dir/mirror"
    include = ["$host/sailpoint-community/sailpoint"]
  }
}
EOF
  cat >"$dir/config/main.tf" <<EOF
terraform {
  required_providers {
    sailpoint = {
      source  = "sailpoint-community/sailpoint"
      version = "$installed_version"
    }
  }
}

provider "sailpoint" {}

data "sailpoint_source" "salesforce" {
  name = "Salesforce"
}

output "salesforce_id" {
  value = data.sailpoint_source.salesforce.id
}
EOF
  # Nothing from the caller's environment: no plugin cache, no other CLI configuration.
  local env=(env -i PATH="$PATH" HOME="$dir/home" TF_CLI_CONFIG_FILE="$dir/cli.tfrc" TF_DATA_DIR="$dir/data"
    TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1)
  run "$name-init.log" "${env[@]}" "$cli" -chdir="$dir/config" init -input=false -no-color
  grep -q "Installed sailpoint-community/sailpoint v$installed_version" "$work/$name-init.log" ||
    fail "$name init did not install v$installed_version:
$(cat "$work/$name-init.log")"

  local lock="$dir/config/.terraform.lock.hcl" hashes
  grep -q "^provider \"$host/sailpoint-community/sailpoint\" {" "$lock" || fail "$name: $lock has no $host provider:
$(cat "$lock")"
  grep -q "^  version *= \"$installed_version\"$" "$lock" || fail "$name: $lock records another version:
$(cat "$lock")"
  hashes=$(grep -oE '"(h1|zh):[^"]*"' "$lock" | tr -d '"')
  [ "$hashes" = "$h1" ] || fail "$name: $lock records the hashes
$hashes
want only $h1, the h1 of $(basename "$zip")"

  local plugin="$dir/data/providers/$host/sailpoint-community/sailpoint/$installed_version/${goos}_${goarch}/$binary"
  cmp -s "$plugin" "$shipped" || fail "$name: $plugin is not the binary of the zip"

  run "$name-plan.log" "${env[@]}" "${sail_env[@]}" "$cli" -chdir="$dir/config" plan -input=false -no-color
  grep -qE '^ *\+ salesforce_id += "[0-9a-f]{32}"$' "$work/$name-plan.log" ||
    fail "$name plan did not read the Salesforce source from the fake tenant:
$(cat "$work/$name-plan.log")"
  if grep -q "development overrides" "$work/$name-plan.log"; then
    fail "$name plan ran through dev_overrides, not the installed provider"
  fi
}

# cli_version CLI: the version the CLI reports (a CLI configuration must exist, or tofu warns).
: >"$work/empty.tfrc"
cli_version() {
  TF_CLI_CONFIG_FILE="$work/empty.tfrc" "$1" version -json | sed -n 's/.*"terraform_version": *"\([^"]*\)".*/\1/p'
}
tf_version=$(cli_version "$terraform")
tofu_version=$(cli_version "$tofu")
say "terraform $tf_version: init from a filesystem mirror, plan against the fake tenant"
install_and_plan terraform "$terraform" registry.terraform.io
say "tofu $tofu_version: init from a filesystem mirror, plan against the fake tenant"
install_and_plan tofu "$tofu" registry.opentofu.org

echo "release-check: OK: v$version ${goos}_${goarch}: $(basename "$zip") (holding $binary), SHA256SUMS (zip + manifest) and its signature verified; terraform $tf_version and tofu $tofu_version installed it from a filesystem mirror as $installed_version ($h1 locked) and planned against the fake tenant"
