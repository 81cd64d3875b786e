#!/usr/bin/env bash
# Builds every libFuzzer target (cc_binary named *_fuzz) with --config=fuzz and runs each briefly.
# FUZZ_SECONDS (default 15) per target.
set -euo pipefail
cd "$(dirname "$0")/.."
SECS="${FUZZ_SECONDS:-15}"
mapfile -t TARGETS < <(./bazelw query --noshow_progress \
  'attr(name, "_fuzz$", kind("cc_binary", //...))' 2>/dev/null)
if [ "${#TARGETS[@]}" -eq 0 ]; then
  echo "fuzz: no fuzz targets found" >&2
  exit 1
fi
./bazelw build --config=fuzz "${TARGETS[@]}"
BIN="$(./bazelw info --config=fuzz bazel-bin 2>/dev/null)"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
for t in "${TARGETS[@]}"; do
  pkg="${t#//}"
  pkg="${pkg%%:*}"
  name="${t##*:}"
  exe="$BIN/$pkg/$name"
  corpus="$WORK/$name"
  mkdir -p "$corpus"
  seeds=()
  [ -d "$pkg/corpus/$name" ] && seeds=("$pkg/corpus/$name")
  echo "--- fuzz: $t for ${SECS}s"
  "$exe" -max_total_time="$SECS" -print_final_stats=1 "$corpus" "${seeds[@]}" 2>"$WORK/$name.log" ||
    { tail -50 "$WORK/$name.log"; echo "fuzz: $t FAILED" >&2; exit 1; }
  grep -E 'stat::number_of_executed_units' "$WORK/$name.log" || true
done
echo "fuzz: ${#TARGETS[@]} targets ran ${SECS}s each without findings"
