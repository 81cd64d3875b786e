#!/bin/sh
# TCP under random loss in both directions (nftables in the test's own namespace): 1% and 5%.
# Every byte is verified by sha256; 200 MB each way at each rate (the acceptance size), ~25 s here.
. "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3
setup_tap
nft add table inet loss
nft add chain inet loss in '{ type filter hook input priority 0; }'
nft add chain inet loss out '{ type filter hook output priority 0; }'

run_at() {
  pct=$1 n_in=$2 n_out=$3
  nft flush chain inet loss in
  nft flush chain inet loss out
  nft add rule inet loss in ip saddr "$VNET_IP" numgen random mod 100 '<' "$pct" drop
  nft add rule inet loss out ip daddr "$VNET_IP" numgen random mod 100 '<' "$pct" drop
  head -c "$n_in" /dev/urandom >"$TMP/rand.bin"
  want=$(sha256sum <"$TMP/rand.bin" | cut -d' ' -f1)
  want_pat=$($PY "$(dirname "$0")/tcp_peer.py" pattern-sha "$n_out")
  : >"$TMP/serve.out"
  start_vnet_serve serve --discard 9 --source "19:$n_out"
  timeout 300 socat -u "FILE:$TMP/rand.bin" "TCP:$VNET_IP:9" || fail "$pct%: socat to discard"
  i=0
  until grep -q "^discard " "$TMP/serve.out"; do
    i=$((i + 1)); [ $i -lt 300 ] || fail "$pct%: no discard line"; sleep 0.1
  done
  line=$(grep "^discard " "$TMP/serve.out")
  echo "$pct% loss, Linux -> vnet: $line"
  echo "$line" | grep -q " $n_in bytes .* sha256=$want\$" || fail "$pct%: discard line $line"
  t0=$(date +%s.%N)
  got=$(timeout 300 socat -u "TCP:$VNET_IP:19" - | sha256sum | cut -d' ' -f1)
  t1=$(date +%s.%N)
  [ "$got" = "$want_pat" ] || fail "$pct%: source sha256 $got, want $want_pat"
  echo "$pct% loss, vnet -> Linux: $n_out bytes in $(echo "$t1 - $t0" | bc 2>/dev/null || echo '?') s, sha256 ok"
  stop_vnet_serve
}

run_at 1 200000000 200000000
run_at 5 200000000 200000000
echo PASS
