#!/bin/sh
# TCP bulk transfers between vnet and real Linux over TAP, 200 MB each way, sha256 verified:
# Linux -> vnet discard, vnet source -> Linux, `vnet send` to a Linux listener and `vnet recv`
# from a Linux sender.
. "$(dirname "$0")/lib.sh"
N=${TCP_BULK_BYTES:-200000000}
setup_tap
want_rand=$(random_file "$N" "$TMP/rand.bin")
want_pat=$(pattern_sha "$N")

serve_both_ways "bulk:" "$TMP/rand.bin" "$want_rand" "$N" "$want_pat" 10

# vnet as the client.
socat -u TCP-LISTEN:5000,reuseaddr "OPEN:$TMP/got.bin,creat,trunc" &
SOCAT_PID=$!
PIDS="$PIDS $SOCAT_PID"
sleep 0.3
out=$(timeout 300 $VNETC send "$LINUX_IP" 5000 "$N") ||
  fail "vnet send failed: $out"
echo "vnet send: $out"
echo "$out" | grep -Eq "^sent $N bytes [0-9.]+ s [0-9.]+ MB/s\$" || fail "send output: $out"
wait "$SOCAT_PID" || true
got=$(sha256sum <"$TMP/got.bin" | cut -d' ' -f1)
[ "$got" = "$want_pat" ] || fail "vnet send: Linux got sha256 $got, want $want_pat"

socat -u "FILE:$TMP/rand.bin" TCP-LISTEN:5001,reuseaddr &
PIDS="$PIDS $!"
sleep 0.3
out=$(timeout 300 $VNETC recv "$LINUX_IP" 5001) ||
  fail "vnet recv failed: $out"
echo "vnet recv: $out"
echo "$out" | grep -Eq "^received $N bytes [0-9.]+ s [0-9.]+ MB/s sha256=$want_rand\$" ||
  fail "recv output: $out (want sha256=$want_rand)"
echo PASS
