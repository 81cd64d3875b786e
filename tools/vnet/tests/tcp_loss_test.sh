#!/bin/sh
# TCP under random loss in both directions (nftables in the test's own namespace): 1% and 5%.
# Every byte is verified by sha256; 200 MB each way at each rate (the acceptance size), ~25 s here.
. "$(dirname "$0")/lib.sh"
setup_tap
nft add table inet loss
nft add chain inet loss in '{ type filter hook input priority 0; }'
nft add chain inet loss out '{ type filter hook output priority 0; }'

# run_at PERCENT IN_BYTES OUT_BYTES: drops PERCENT% of the frames each way, then a transfer each
# way through vnet serve.
run_at() {
  pct=$1 n_in=$2 n_out=$3
  nft flush chain inet loss in
  nft flush chain inet loss out
  nft add rule inet loss in ip saddr "$VNET_IP" numgen random mod 100 '<' "$pct" drop
  nft add rule inet loss out ip daddr "$VNET_IP" numgen random mod 100 '<' "$pct" drop
  want=$(random_file "$n_in" "$TMP/rand.bin")
  serve_both_ways "$pct% loss," "$TMP/rand.bin" "$want" "$n_out" "$(pattern_sha "$n_out")" 30
}

run_at 1 200000000 200000000
run_at 5 200000000 200000000
echo PASS
