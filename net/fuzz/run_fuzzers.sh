#!/bin/sh
# Runs every net/ libFuzzer target for N seconds (default 10) from the workspace:
#   bazel build --config=fuzz //net/fuzz:all && bazel run //net/fuzz:run_fuzzers -- 30
# (or directly: net/fuzz/run_fuzzers.sh 30). Exits non-zero on the first crash/leak/invariant.
set -eu
SECS="${1:-10}"
cd "${BUILD_WORKSPACE_DIRECTORY:-$(dirname "$0")/../..}"
BIN="$(bazel info --config=fuzz bazel-bin 2>/dev/null)"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
for f in arp_fuzz dns_fuzz eth_fuzz icmp_fuzz ipv4_fuzz udp_fuzz; do
  exe="$BIN/net/fuzz/$f"
  [ -x "$exe" ] || { echo "missing $exe: build with --config=fuzz first" >&2; exit 2; }
  mkdir -p "$WORK/$f"
  echo "--- $f for ${SECS}s"
  "$exe" -max_total_time="$SECS" -print_final_stats=1 "$WORK/$f" "net/fuzz/corpus/$f" 2>"$WORK/$f.log" ||
    { tail -40 "$WORK/$f.log"; echo "$f FAILED" >&2; exit 1; }
  grep -E 'stat::number_of_executed_units' "$WORK/$f.log" || true
done
echo "all net fuzzers ran ${SECS}s each without findings"
