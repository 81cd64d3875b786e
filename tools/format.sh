#!/usr/bin/env bash
# Formats our sources: clang-format-14 (the repo's .clang-format) over C/C++ files, buildifier over
# BUILD/.bzl/WORKSPACE files. `bazel run //tools:format` or tools/format.sh directly.
#
# Usage: format.sh [--check] [--no-buildifier] [--root DIR] [PATH...]
#   --check          change nothing; list the files that need formatting and exit 1 if any
#   --no-buildifier  clang-format only (buildifier is otherwise required: a clear error if absent)
#   --root DIR       the repository (default: $BUILD_WORKSPACE_DIRECTORY under `bazel run`, else
#                    the checkout this script lives in)
#   PATH...          files or directories relative to the root (default: the whole repository)
# Skipped: bazel-* output trees, .git, .cache, and C/C++ under third_party/ (not our code; the
# BUILD overlays and shims there are ours and do get buildifier).
# Exit: 0 clean/formatted, 1 files need formatting (--check), 2 usage or tool error.
# Env:  CLANG_FORMAT (default /usr/bin/clang-format-14), BUILDIFIER (default: the npm-installed one).
set -euo pipefail

die() {
  echo "format: $*" >&2
  exit 2
}

CHECK=0
USE_BUILDIFIER=1
ROOT=""
PATHS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --check) CHECK=1 ;;
    --no-buildifier) USE_BUILDIFIER=0 ;;
    --root)
      [ $# -ge 2 ] || die "--root needs a directory"
      ROOT="$2"
      shift
      ;;
    -h | --help)
      sed -n '2,15p' "${BASH_SOURCE[0]}"
      exit 0
      ;;
    --) shift; PATHS+=("$@"); break ;;
    -*) die "unknown option $1 (see --help)" ;;
    *) PATHS+=("$1") ;;
  esac
  shift
done

SELF_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SELF="$SELF_DIR/$(basename "${BASH_SOURCE[0]}")"
RUN_DIR="$PWD" # the runfiles tree under `bazel run`
if [ -z "$ROOT" ]; then
  if [ -n "${BUILD_WORKSPACE_DIRECTORY:-}" ]; then
    ROOT="$BUILD_WORKSPACE_DIRECTORY"
  elif [ -f "$SELF_DIR/../WORKSPACE" ]; then
    ROOT="$SELF_DIR/.."
  else
    die "cannot find the repository: use --root DIR or \`bazel run //tools:format\`"
  fi
fi
[ -d "$ROOT" ] || die "--root $ROOT is not a directory"
ROOT="$(cd "$ROOT" && pwd)"
cd "$ROOT"

CLANG_FORMAT="${CLANG_FORMAT:-/usr/bin/clang-format-14}"
[ -x "$CLANG_FORMAT" ] || die "$CLANG_FORMAT not found (Debian package clang-format-14; ./bazelw installs it)"
[ -f "$ROOT/.clang-format" ] || die "no .clang-format in $ROOT"

find_buildifier() {
  if [ -n "${BUILDIFIER:-}" ]; then
    [ -x "$BUILDIFIER" ] || die "BUILDIFIER=$BUILDIFIER is not executable"
    printf '%s\n' "$BUILDIFIER"
    return
  fi
  # The installer sits next to this script, in the checkout or in the runfiles of //tools:format.
  local ensure="" candidate b
  for candidate in "$SELF_DIR/ensure_npm_tools.sh" \
    "$SELF.runfiles/viperdos/tools/ensure_npm_tools.sh" \
    "$RUN_DIR/tools/ensure_npm_tools.sh" "$ROOT/tools/ensure_npm_tools.sh"; do
    if [ -f "$candidate" ]; then
      ensure="$candidate"
      break
    fi
  done
  if [ -n "$ensure" ] && b="$(bash "$ensure" --strict --print-buildifier)"; then
    printf '%s\n' "$b"
    return
  fi
  if b="$(command -v buildifier)"; then
    printf '%s\n' "$b"
    return
  fi
  die "buildifier not found: run ./bazelw once (it installs npm's @bazel/buildifier into" \
    "~/.cache/viperdos/npm), set BUILDIFIER=/path/to/buildifier, or pass --no-buildifier"
}
BUILDIFIER_BIN=""
if [ "$USE_BUILDIFIER" = 1 ]; then
  BUILDIFIER_BIN="$(find_buildifier)"
fi

# --- Which files: the repository's own (tracked or new, not ignored), else a pruned find.
for p in "${PATHS[@]}"; do
  case "$p" in /*) die "give paths relative to the repository root: $p" ;; esac
  [ -e "$p" ] || die "no such file or directory: $p"
done

list_files() {
  if git -C "$ROOT" rev-parse --is-inside-work-tree >/dev/null 2>&1 &&
    [ "$(git -C "$ROOT" rev-parse --show-toplevel)" = "$ROOT" ]; then
    git ls-files -z --cached --others --exclude-standard -- "${PATHS[@]}" | tr '\0' '\n'
  else
    find "${PATHS[@]:-.}" \( -name .git -o -name .cache -o -name 'bazel-*' \) -prune -o \
      -type f -print | sed 's#^\./##'
  fi
}

CC_FILES=()
BUILD_FILES=()
BZL_FILES=()
WORKSPACE_FILES=()
while IFS= read -r f; do
  [ -f "$f" ] || continue # deleted but still tracked
  case "$f" in
    bazel-* | */bazel-* | .cache/* | .git/*) continue ;;
  esac
  base="${f##*/}"
  case "$base" in
    *.c | *.h | *.cc | *.cpp | *.cxx | *.hh | *.hpp | *.hxx)
      case "$f" in third_party/*) continue ;; esac
      CC_FILES+=("$f")
      ;;
    BUILD | BUILD.bazel | *.BUILD | BUILD.*) BUILD_FILES+=("$f") ;;
    *.bzl) BZL_FILES+=("$f") ;;
    WORKSPACE | WORKSPACE.bazel | *.WORKSPACE) WORKSPACE_FILES+=("$f") ;;
  esac
done < <(list_files | LC_ALL=C sort -u)

# --- Which files need formatting (both modes: fix mode then touches only those and reports them).
NEED=()
if [ "${#CC_FILES[@]}" -gt 0 ]; then
  out="$(printf '%s\0' "${CC_FILES[@]}" |
    xargs -0 -n 200 "$CLANG_FORMAT" --style=file --dry-run --Werror --ferror-limit=1 2>&1)" && rc=0 || rc=$?
  mapfile -t bad < <(sed -nE 's/^(.+):[0-9]+:[0-9]+: error: code should be clang-formatted.*$/\1/p' \
    <<<"$out" | LC_ALL=C sort -u)
  if [ "$rc" != 0 ] && [ "${#bad[@]}" = 0 ]; then
    printf '%s\n' "$out" >&2
    die "clang-format failed"
  fi
  NEED+=("${bad[@]}")
fi

buildifier_group() { # type files...
  local type="$1" out rc
  shift
  [ $# -gt 0 ] || return 0
  out="$("$BUILDIFIER_BIN" --mode=check --type="$type" "$@" 2>&1)" && rc=0 || rc=$?
  # Exit 4 = some files need reformatting; anything else non-zero is a real error (syntax...).
  if [ "$rc" != 0 ] && [ "$rc" != 4 ]; then
    printf '%s\n' "$out" >&2
    die "buildifier failed (exit $rc)"
  fi
  sed -nE 's/^(.+) # reformat$/\1/p' <<<"$out"
}
BUILD_NEED=()
if [ -n "$BUILDIFIER_BIN" ]; then
  mapfile -t BUILD_NEED < <(
    buildifier_group build "${BUILD_FILES[@]}"
    buildifier_group bzl "${BZL_FILES[@]}"
    buildifier_group workspace "${WORKSPACE_FILES[@]}"
  )
fi

checked="${#CC_FILES[@]} C/C++ files"
if [ -n "$BUILDIFIER_BIN" ]; then
  checked="$checked, $((${#BUILD_FILES[@]} + ${#BZL_FILES[@]} + ${#WORKSPACE_FILES[@]})) Bazel files"
else
  checked="$checked (buildifier skipped)"
fi
ALL_NEED=("${NEED[@]}" "${BUILD_NEED[@]}")

if [ "$CHECK" = 1 ]; then
  if [ "${#ALL_NEED[@]}" -gt 0 ]; then
    echo "format: ${#ALL_NEED[@]} file(s) need formatting (run: bazel run //tools:format):"
    printf '  %s\n' "${ALL_NEED[@]}"
    exit 1
  fi
  echo "format: ok ($checked)"
  exit 0
fi

if [ "${#NEED[@]}" -gt 0 ]; then
  "$CLANG_FORMAT" --style=file -i "${NEED[@]}"
fi
for f in "${BUILD_NEED[@]}"; do
  case "${f##*/}" in
    *.bzl) type=bzl ;;
    WORKSPACE | WORKSPACE.bazel | *.WORKSPACE) type=workspace ;;
    *) type=build ;;
  esac
  "$BUILDIFIER_BIN" --mode=fix --type="$type" "$f"
done
if [ "${#ALL_NEED[@]}" -gt 0 ]; then
  echo "format: formatted ${#ALL_NEED[@]} file(s):"
  printf '  %s\n' "${ALL_NEED[@]}"
else
  echo "format: nothing to do ($checked)"
fi
