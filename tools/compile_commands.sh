#!/usr/bin/env bash
# Writes compile_commands.json at the repository root for clangd, from Bazel's own action graph
# (bazel aquery), without building or downloading anything.
#
# Usage: bazel run //tools:compile_commands [-- [--host-only] [--no-prereqs] [--out FILE]]
#        tools/compile_commands.sh [...]  (directly, with the default output base)
# Sources come from the host configuration first, then --config=aarch64 and --config=aarch64_user
# for files only the cross builds compile (kernel-only code gets the kernel's flags).
# Generated headers and include trees (_virtual_includes) live in bazel-out; unless --no-prereqs,
# they are built per configuration (output group compilation_prerequisites_INTERNAL_: header
# symlinks and generated files only, no compiling), so clangd finds them. Host runs last, so the
# bazel-bin symlinks and the analysis cache are left on the host configuration.
# Env: BAZEL (default: bazel).
set -euo pipefail

die() {
  echo "compile_commands: $*" >&2
  exit 2
}

HOST_ONLY=0
PREREQS=1
OUT=""
while [ $# -gt 0 ]; do
  case "$1" in
    --host-only) HOST_ONLY=1 ;;
    --no-prereqs) PREREQS=0 ;;
    --out)
      [ $# -ge 2 ] || die "--out needs a file"
      OUT="$2"
      shift
      ;;
    -h | --help)
      sed -n '2,14p' "${BASH_SOURCE[0]}"
      exit 0
      ;;
    *) die "unknown argument $1 (see --help)" ;;
  esac
  shift
done

SELF="${BASH_SOURCE[0]}"
SELF_DIR="$(cd "$(dirname "$SELF")" && pwd)"
if [ -n "${BUILD_WORKSPACE_DIRECTORY:-}" ]; then
  ROOT="$BUILD_WORKSPACE_DIRECTORY"
elif [ -f "$SELF_DIR/../WORKSPACE" ]; then
  ROOT="$(cd "$SELF_DIR/.." && pwd)"
else
  die "cannot find the repository: use \`bazel run //tools:compile_commands\`"
fi
OUT="${OUT:-$ROOT/compile_commands.json}"
case "$OUT" in /*) ;; *) OUT="${BUILD_WORKING_DIRECTORY:-$PWD}/$OUT" ;; esac

BAZEL="${BAZEL:-bazel}"
# Under `bazel run` we live inside the output base that ran us: query that same server (it is
# idle by now), not the default output base, which would analyse everything again.
STARTUP=()
for p in "$PWD" "$SELF_DIR"; do
  case "$p" in
    */execroot/*)
      STARTUP=(--output_base="${p%%/execroot/*}")
      break
      ;;
  esac
done

PY=""
# Next to us in the checkout, or in our runfiles (the working directory under `bazel run`).
for candidate in "$SELF_DIR/compile_commands.py" "$SELF.runfiles/viperdos/tools/compile_commands.py" \
  "$PWD/tools/compile_commands.py" "$ROOT/tools/compile_commands.py"; do
  if [ -f "$candidate" ]; then
    PY="$candidate"
    break
  fi
done
[ -n "$PY" ] || die "cannot find compile_commands.py"
[ -x /usr/bin/python3 ] || die "/usr/bin/python3 not found (Debian package python3)"

TMP="$(mktemp -d "${TMPDIR:-/tmp}/compile_commands.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT

cd "$ROOT"
bz() { "$BAZEL" "${STARTUP[@]}" "$@"; }

info="$(bz info execution_root output_base 2>"$TMP/info.err")" || {
  cat "$TMP/info.err" >&2
  die "bazel info failed"
}
EXECROOT="$(sed -n 's/^execution_root: //p' <<<"$info")"
OUTPUT_BASE="$(sed -n 's/^output_base: //p' <<<"$info")"
[ -n "$EXECROOT" ] && [ -n "$OUTPUT_BASE" ] || die "unexpected bazel info output: $info"

CONFIGS=()
[ "$HOST_ONLY" = 1 ] || CONFIGS+=(aarch64 aarch64_user)
CONFIGS+=(host)
COMMON=(--color=no --curses=no --noshow_progress)
for c in "${CONFIGS[@]}"; do
  flags=()
  [ "$c" = host ] || flags=(--config="$c")
  echo "compile_commands: bazel aquery (${c})" >&2
  if ! bz aquery "${flags[@]}" "${COMMON[@]}" --output=jsonproto --include_artifacts=false \
    'mnemonic("CppCompile", deps(//...))' >"$TMP/$c.json" 2>"$TMP/$c.err"; then
    cat "$TMP/$c.err" >&2
    die "bazel aquery ($c) failed"
  fi
  if [ "$PREREQS" = 1 ]; then
    echo "compile_commands: bazel build generated headers (${c})" >&2
    if ! bz build "${flags[@]}" "${COMMON[@]}" \
      --output_groups=compilation_prerequisites_INTERNAL_ -- //... >"$TMP/$c.build" 2>&1; then
      tail -n 30 "$TMP/$c.build" >&2
      echo "compile_commands: warning: building generated headers ($c) failed; writing the" \
        "database anyway (clangd may miss generated headers)" >&2
    fi
  fi
done

# Best first: host, then the kernel, then EL0 programs.
FILES=("$TMP/host.json")
[ "$HOST_ONLY" = 1 ] || FILES+=("$TMP/aarch64.json" "$TMP/aarch64_user.json")

/usr/bin/python3 "$PY" --workspace "$ROOT" --execroot "$EXECROOT" --output-base "$OUTPUT_BASE" \
  --out "$OUT" "${FILES[@]}"
