#!/bin/sh
# Runs every net/ libFuzzer target for N seconds each (default 10), starting from the seed corpora:
#   bazel run --config=fuzz //net/fuzz:run_fuzzers -- 30
# Without --config=fuzz the targets are the deterministic replay builds and the time is ignored.
# Exits non-zero on the first crash, leak or invariant violation.
set -eu
SECS="${1:-10}"
here="$(cd "$(dirname "$0")" && pwd)"
for d in "${RUNFILES_DIR:-}/viperdos/net/fuzz" "$0.runfiles/viperdos/net/fuzz" "$here"; do
  if [ -x "$d/eth_fuzz" ]; then DIR="$d"; break; fi
done
[ -n "${DIR:-}" ] || { echo "run_fuzzers: fuzz binaries not found next to $0" >&2; exit 2; }
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
for f in arp_fuzz dns_fuzz eth_fuzz icmp_fuzz ipv4_fuzz udp_fuzz; do
  mkdir -p "$WORK/$f"
  echo "--- $f for ${SECS}s"
  "$DIR/$f" -max_total_time="$SECS" -print_final_stats=1 "$WORK/$f" "$DIR/corpus/$f" \
    >"$WORK/$f.log" 2>&1 || { tail -40 "$WORK/$f.log"; echo "$f FAILED" >&2; exit 1; }
  grep -E 'stat::number_of_executed_units|^ran ' "$WORK/$f.log" || true
done
echo "all net fuzzers ran without findings"
