#!/usr/bin/env bash
# CI lint: fails listing the files that need formatting. Same as `bazel run //tools:format -- --check`.
# Runs from the checkout (tools/format_check.sh) or as `bazel run //tools:lint` (format.sh is then
# in the runfiles, which is the working directory).
set -euo pipefail
here="$(dirname "${BASH_SOURCE[0]}")"
for f in "$here/format.sh" "${BASH_SOURCE[0]}.runfiles/viperdos/tools/format.sh" "$PWD/tools/format.sh"; do
  if [ -f "$f" ]; then exec bash "$f" --check "$@"; fi
done
echo "format_check: cannot find format.sh next to $0 or in its runfiles" >&2
exit 2
