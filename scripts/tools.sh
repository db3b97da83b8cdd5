#!/usr/bin/env bash
# Installs the CLIs this project needs into .tools/bin, building each from source through the
# Go module proxy (there is no release-site download on CI machines). Tools already present at
# the pinned version are reused, so a second run costs nothing.
#
# Usage: scripts/tools.sh [terraform|tofu|tfplugindocs|golangci-lint|goreleaser|opa|all]...
set -euo pipefail

TERRAFORM_VERSION=1.5.7
OPENTOFU_VERSION=1.12.6
TFPLUGINDOCS_VERSION=0.25.0
GOLANGCI_LINT_VERSION=2.15.0
GORELEASER_VERSION=2.15.1
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

install_terraform() {
  have terraform "$TERRAFORM_VERSION" && return 0
  echo "tools: building terraform $TERRAFORM_VERSION (about 2 minutes)" >&2
  go install "github.com/hashicorp/terraform@v$TERRAFORM_VERSION"
  stamp terraform "$TERRAFORM_VERSION"
}

install_tofu() {
  have tofu "$OPENTOFU_VERSION" && return 0
  echo "tools: building tofu $OPENTOFU_VERSION (about 3 minutes)" >&2
  # `go install` refuses OpenTofu because its go.mod has replace directives; building inside a
  # writable copy of the module honours them.
  local dir src
  dir=$(go mod download -json "github.com/opentofu/opentofu@v$OPENTOFU_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  src="$root/.tools/src/opentofu-$OPENTOFU_VERSION"
  rm -rf "$src" && mkdir -p "$(dirname "$src")" && cp -r "$dir" "$src" && chmod -R u+w "$src"
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

install_opa() {
  have opa "$OPA_VERSION" && return 0
  echo "tools: building opa $OPA_VERSION (about 1 minute)" >&2
  go install "github.com/open-policy-agent/opa@v$OPA_VERSION"
  stamp opa "$OPA_VERSION"
}

[ $# -eq 0 ] && set -- all
for t in "$@"; do
  case "$t" in
    terraform) install_terraform ;;
    tofu) install_tofu ;;
    tfplugindocs) install_tfplugindocs ;;
    golangci-lint) install_golangci_lint ;;
    goreleaser) install_goreleaser ;;
    opa) install_opa ;;
    all) install_terraform; install_tfplugindocs; install_golangci_lint; install_goreleaser; install_opa; install_tofu ;;
    *) echo "tools: unknown tool $t" >&2; exit 2 ;;
  esac
done
