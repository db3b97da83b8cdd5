#!/usr/bin/env bash
# Installs the CLIs this project needs into .tools/bin, building each from source through the
# Go module proxy (there is no release-site download on CI machines). Tools already present at
# the pinned version are reused, so a second run costs nothing.
#
# Usage: scripts/tools.sh [terraform|terraform-oldest|tofu|tfplugindocs|golangci-lint|goreleaser|actionlint|opa|conftest|all]...
set -euo pipefail

# Terraform: the oldest version users may run (the last MPL release) and the newest the Go module
# proxy serves, which behaves differently in places users see (number comparisons, for one).
TERRAFORM_OLDEST=1.5.7
TERRAFORM_NEWEST=1.16.4
OPENTOFU_VERSION=1.12.6
CONFTEST_VERSION=0.71.1
TFPLUGINDOCS_VERSION=0.25.0
GOLANGCI_LINT_VERSION=2.15.0
GORELEASER_VERSION=2.15.1
ACTIONLINT_VERSION=1.7.12
OPA_VERSION=1.22.3

root=$(cd "$(dirname "$0")/.." && pwd)
bin="$root/.tools/bin"
mkdir -p "$bin"
export GOBIN="$bin"
export GOFLAGS="${GOFLAGS:-} -buildvcs=false"

# have NAME VERSION: true when .tools/bin/NAME exists and was built at VERSION (a stamp file
# beside it records the version, because not every tool prints its own version the same way).
have() { [ -x "$bin/$1" ] && [ "$(cat "$bin/.$1.version" 2>/dev/null)" = "$2" ]; }
stamp() { echo "$2" >"$bin/.$1.version"; }

install_terraform_oldest() {
  have terraform-$TERRAFORM_OLDEST "$TERRAFORM_OLDEST" && return 0
  echo "tools: building terraform $TERRAFORM_OLDEST (about 2 minutes)" >&2
  GOBIN="$root/.tools/gobin" go install "github.com/hashicorp/terraform@v$TERRAFORM_OLDEST"
  mv "$root/.tools/gobin/terraform" "$bin/terraform-$TERRAFORM_OLDEST"
  stamp terraform-$TERRAFORM_OLDEST "$TERRAFORM_OLDEST"
}

# module_copy MODULE VERSION: a writable copy of a module's source, for tools that `go install`
# refuses because their go.mod has replace directives (building inside the module honours them).
module_copy() {
  local dir src
  dir=$(go mod download -json "$1@v$2" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  src="$root/.tools/src/$(basename "$1")-$2"
  rm -rf "$src" && mkdir -p "$(dirname "$src")" && cp -r "$dir" "$src" && chmod -R u+w "$src"
  echo "$src"
}

install_terraform_newest() {
  have terraform-$TERRAFORM_NEWEST "$TERRAFORM_NEWEST" && return 0
  echo "tools: building terraform $TERRAFORM_NEWEST (about 4 minutes)" >&2
  local src
  src=$(module_copy github.com/hashicorp/terraform "$TERRAFORM_NEWEST")
  # The module zip lacks the nested modules of these remote-state backends, which its go.mod
  # replaces with local folders; a provider's tests use local state, so build without them.
  local gone='azure|consul|cos|gcs|kubernetes|oci|oss|pg|s3'
  sed -E -i "/internal\/backend\/remote-state\/($gone)( |$)/d" "$src/go.mod"
  sed -E -i "/remote-state\/($gone)\"/d; /backend(Azure|Consul|Cos|GCS|Kubernetes|OCI|OSS|Pg|S3)\.New/d" "$src/internal/backend/init/init.go"
  # dev=no: report 1.16.4, as a release build does, not 1.16.4-dev.
  (cd "$src" && go build -ldflags "-X github.com/hashicorp/terraform/version.dev=no" -o "$bin/terraform-$TERRAFORM_NEWEST" .)
  rm -rf "$src"
  stamp terraform-$TERRAFORM_NEWEST "$TERRAFORM_NEWEST"
}

install_tofu() {
  have tofu "$OPENTOFU_VERSION" && return 0
  echo "tools: building tofu $OPENTOFU_VERSION (about 3 minutes)" >&2
  local src
  src=$(module_copy github.com/opentofu/opentofu "$OPENTOFU_VERSION")
  (cd "$src" && go build -o "$bin/tofu" ./cmd/tofu)
  rm -rf "$src"
  stamp tofu "$OPENTOFU_VERSION"
}

install_tfplugindocs() {
  have tfplugindocs "$TFPLUGINDOCS_VERSION" && return 0
  echo "tools: building tfplugindocs $TFPLUGINDOCS_VERSION" >&2
  go install "github.com/hashicorp/terraform-plugin-docs/cmd/tfplugindocs@v$TFPLUGINDOCS_VERSION"
  stamp tfplugindocs "$TFPLUGINDOCS_VERSION"
}

install_golangci_lint() {
  have golangci-lint "$GOLANGCI_LINT_VERSION" && return 0
  echo "tools: building golangci-lint $GOLANGCI_LINT_VERSION (about 2 minutes)" >&2
  go install "github.com/golangci/golangci-lint/v2/cmd/golangci-lint@v$GOLANGCI_LINT_VERSION"
  stamp golangci-lint "$GOLANGCI_LINT_VERSION"
}

install_goreleaser() {
  have goreleaser "$GORELEASER_VERSION" && return 0
  echo "tools: building goreleaser $GORELEASER_VERSION (several minutes)" >&2
  go install "github.com/goreleaser/goreleaser/v2@v$GORELEASER_VERSION"
  stamp goreleaser "$GORELEASER_VERSION"
}

install_actionlint() {
  have actionlint "$ACTIONLINT_VERSION" && return 0
  echo "tools: building actionlint $ACTIONLINT_VERSION (about 1 minute)" >&2
  go install "github.com/rhysd/actionlint/cmd/actionlint@v$ACTIONLINT_VERSION"
  stamp actionlint "$ACTIONLINT_VERSION"
}

install_opa() {
  have opa "$OPA_VERSION" && return 0
  echo "tools: building opa $OPA_VERSION (about 1 minute)" >&2
  go install "github.com/open-policy-agent/opa@v$OPA_VERSION"
  stamp opa "$OPA_VERSION"
}

install_conftest() {
  have conftest "$CONFTEST_VERSION" && return 0
  echo "tools: building conftest $CONFTEST_VERSION (about 2 minutes)" >&2
  local src
  src=$(module_copy github.com/open-policy-agent/conftest "$CONFTEST_VERSION")
  (cd "$src" && go build -o "$bin/conftest" .)
  rm -rf "$src"
  stamp conftest "$CONFTEST_VERSION"
}

[ $# -eq 0 ] && set -- all
for t in "$@"; do
  case "$t" in
    # `terraform` on PATH (tfplugindocs, make fmt, make demo) is the newest.
    terraform) install_terraform_newest; ln -sfn "terraform-$TERRAFORM_NEWEST" "$bin/terraform" ;;
    terraform-oldest) install_terraform_oldest ;;
    tofu) install_tofu ;;
    tfplugindocs) install_tfplugindocs ;;
    golangci-lint) install_golangci_lint ;;
    goreleaser) install_goreleaser ;;
    actionlint) install_actionlint ;;
    opa) install_opa ;;
    conftest) install_conftest ;;
    all) "$0" terraform; install_terraform_oldest; install_tfplugindocs; install_golangci_lint; install_goreleaser; install_actionlint; install_opa; install_conftest; install_tofu ;;
    *) echo "tools: unknown tool $t" >&2; exit 2 ;;
  esac
done
