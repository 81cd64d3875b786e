#!/usr/bin/env bash
# Makes sure the npm-provided developer tools are installed in a per-user cache outside the repo.
# Today that is buildifier (npm's @bazel/buildifier ships prebuilt binaries inside the package).
#
# Called by ./bazelw on every run, so the common case (already installed) must cost nothing: it is
# one stamp-file test, no subprocess. A failed install (e.g. no registry) only warns, so builds that
# do not need buildifier go on, and is not retried for 10 minutes; --strict makes it an error.
#
# Usage: tools/ensure_npm_tools.sh [--strict] [--print-buildifier]
#   --print-buildifier  print the buildifier binary's path on success
# Env:   VIPERDOS_NPM_PREFIX (default: ${XDG_CACHE_HOME:-$HOME/.cache}/viperdos/npm)
set -euo pipefail

BUILDIFIER_VERSION=8.2.1
PREFIX="${VIPERDOS_NPM_PREFIX:-${XDG_CACHE_HOME:-${HOME:?HOME is not set}/.cache}/viperdos/npm}"
PKG_DIR="$PREFIX/node_modules/@bazel/buildifier"
STAMP="$PREFIX/.buildifier-$BUILDIFIER_VERSION.ok"
FAILED="$PREFIX/.buildifier-$BUILDIFIER_VERSION.failed"

STRICT=0
PRINT=0
for arg in "$@"; do
  case "$arg" in
    --strict) STRICT=1 ;;
    --print-buildifier) PRINT=1 ;;
    *) echo "usage: $0 [--strict] [--print-buildifier]" >&2; exit 2 ;;
  esac
done

case "$(uname -m)" in
  x86_64) BIN="$PKG_DIR/buildifier-linux_amd64" ;;
  aarch64) BIN="$PKG_DIR/buildifier-linux_arm64" ;;
  *) BIN="" ;;
esac

done_ok() {
  if [ "$PRINT" = 1 ]; then printf '%s\n' "$BIN"; fi
  exit 0
}

# Fast path: installed and verified before.
if [ -n "$BIN" ] && [ -e "$STAMP" ] && [ -x "$BIN" ]; then
  done_ok
fi

fail() {
  echo "ensure_npm_tools: $*" >&2
  if [ "$STRICT" = 1 ]; then exit 1; fi
  echo "ensure_npm_tools: continuing without buildifier (only //tools:format needs it)" >&2
  exit 0
}

[ -n "$BIN" ] || fail "no buildifier binary for machine type $(uname -m)"

# Recently failed: don't make every ./bazelw call wait for an unreachable registry again.
if [ "$STRICT" = 0 ] && [ -n "$(find "$FAILED" -mmin -10 2>/dev/null)" ]; then
  exit 0
fi

command -v npm >/dev/null 2>&1 || fail "npm not found (Debian package nodejs; ./bazelw installs it)"

mkdir -p "$PREFIX"
# Several ./bazelw calls may race on a fresh machine: one installs, the others wait and re-check.
exec 9>"$PREFIX/.lock"
flock 9
if [ -e "$STAMP" ] && [ -x "$BIN" ]; then
  done_ok
fi

echo "ensure_npm_tools: installing @bazel/buildifier@$BUILDIFIER_VERSION into $PREFIX" >&2
if ! npm install --prefix "$PREFIX" --no-audit --no-fund --no-save --no-package-lock \
  --fetch-retries=1 --loglevel=error "@bazel/buildifier@$BUILDIFIER_VERSION" >&2; then
  touch "$FAILED"
  fail "npm install @bazel/buildifier@$BUILDIFIER_VERSION failed"
fi
if ! version="$("$BIN" --version 2>&1)" || [[ "$version" != *"$BUILDIFIER_VERSION"* ]]; then
  touch "$FAILED"
  fail "installed buildifier does not run or is not $BUILDIFIER_VERSION: $version"
fi
rm -f "$FAILED"
touch "$STAMP"
done_ok
