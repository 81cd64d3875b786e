#!/bin/sh
# TCP bulk transfers between vnet and real Linux over TAP, 200 MB each way, sha256 verified:
# Linux -> vnet discard, vnet source -> Linux, `vnet send` to a Linux listener and `vnet recv`
# from a Linux sender.
. "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3
PEER="$(dirname "$0")/tcp_peer.py"
N=${TCP_BULK_BYTES:-200000000}
setup_tap
head -c "$N" /dev/urandom >"$TMP/rand.bin"
want_rand=$(sha256sum <"$TMP/rand.bin" | cut -d' ' -f1)
want_pat=$($PY "$PEER" pattern-sha "$N")

start_vnet_serve serve --discard 9 --source "19:$N"
timeout 300 socat -u "FILE:$TMP/rand.bin" "TCP:$VNET_IP:9" || fail "socat to discard"
i=0
until grep -q "^discard " "$TMP/serve.out"; do
  i=$((i + 1)); [ $i -lt 100 ] || fail "no discard line"; sleep 0.1
done
line=$(grep "^discard " "$TMP/serve.out")
echo "Linux -> vnet: $line"
echo "$line" | grep -Eq "^discard $LINUX_IP:[0-9]+ $N bytes [0-9.]+ s [0-9.]+ MB/s sha256=$want_rand\$" ||
  fail "discard line wrong: $line (want $N bytes sha256=$want_rand)"

got=$(timeout 300 socat -u "TCP:$VNET_IP:19" - | sha256sum | cut -d' ' -f1)
[ "$got" = "$want_pat" ] || fail "source: sha256 $got, want $want_pat"
echo "vnet source -> Linux: $N bytes, sha256 ok"
stop_vnet_serve

# vnet as the client.
socat -u TCP-LISTEN:5000,reuseaddr "OPEN:$TMP/got.bin,creat,trunc" &
SOCAT_PID=$!
PIDS="$PIDS $SOCAT_PID"
sleep 0.3
out=$(timeout 300 "$VNET" --tap tap0 --ip "$VNET_IP/24" --mac "$VNET_MAC" send "$LINUX_IP" 5000 "$N") ||
  fail "vnet send failed: $out"
echo "vnet send: $out"
echo "$out" | grep -Eq "^sent $N bytes [0-9.]+ s [0-9.]+ MB/s\$" || fail "send output: $out"
wait "$SOCAT_PID" || true
got=$(sha256sum <"$TMP/got.bin" | cut -d' ' -f1)
[ "$got" = "$want_pat" ] || fail "vnet send: Linux got sha256 $got, want $want_pat"

socat -u "FILE:$TMP/rand.bin" TCP-LISTEN:5001,reuseaddr &
PIDS="$PIDS $!"
sleep 0.3
out=$(timeout 300 "$VNET" --tap tap0 --ip "$VNET_IP/24" --mac "$VNET_MAC" recv "$LINUX_IP" 5001) ||
  fail "vnet recv failed: $out"
echo "vnet recv: $out"
echo "$out" | grep -Eq "^received $N bytes [0-9.]+ s [0-9.]+ MB/s sha256=$want_rand\$" ||
  fail "recv output: $out (want sha256=$want_rand)"
echo PASS
