#!/usr/bin/env bash
# Prints the release notes of version X.Y.Z: its section of CHANGELOG.md, without the heading.
# The release workflow hands them to GoReleaser (--release-notes), and make release-check does
# the same for the next version.
#
# Usage: scripts/release-notes.sh X.Y.Z
set -euo pipefail
version=${1:?usage: scripts/release-notes.sh X.Y.Z}
notes=$(awk -v v="$version" '/^## / { if (found) exit; found = ($2 == v); next } found' "$(dirname "$0")/../CHANGELOG.md")
if [ -z "$(tr -d '[:space:]' <<<"$notes")" ]; then
  echo "release-notes: CHANGELOG.md has no section, or an empty one, for $version" >&2
  exit 1
fi
printf '%s\n' "$notes"
