#!/bin/sh
# Captures a mixed session (ARP, ping with fragments both ways, UDP echo, DNS) on the TAP device
# and has tshark decode it with checksum validation on: no malformed packets, no errors.
# vnet runs with --no-offload: with TAP offloads Linux leaves its own checksums to "the hardware"
# (us), so its frames on tap0 carry partial checksums that tshark would rightly flag.
. "$(dirname "$0")/lib.sh"
setup_tap
tshark -q -i tap0 -w "$TMP/cap.pcapng" >"$TMP/tshark.out" 2>&1 &
TSHARK_PID=$!
PIDS="$PIDS $TSHARK_PID"
i=0
until grep -q "Capturing on" "$TMP/tshark.out" 2>/dev/null; do
  i=$((i + 1)); [ $i -lt 100 ] || fail "tshark did not start"; sleep 0.1
done
dnsmasq --no-daemon --no-resolv --no-hosts --bind-interfaces --listen-address="$LINUX_IP" \
  --local=/test/ --address=/a.test/10.9.0.50 --pid-file="$TMP/dnsmasq.pid" &
PIDS="$PIDS $!"
start_vnet_serve --no-offload serve --udp-echo 7
ping -c 2 -i 0.2 -s 3000 -W 2 "$VNET_IP" >/dev/null || fail "ping"
echo hello | socat -t 1 - "UDP:$VNET_IP:7" >/dev/null
stop_vnet_serve
sleep 0.5
"$VNET" --tap tap0 --ip "$VNET_IP/24" --mac "$VNET_MAC" --no-offload ping "$LINUX_IP" -c 2 -i 100 -s 2000 >/dev/null || fail "vnet ping"
"$VNET" --tap tap0 --ip "$VNET_IP/24" --mac "$VNET_MAC" --no-offload --dns "$LINUX_IP" resolve a.test >/dev/null || fail "resolve"
sleep 1
kill -INT "$TSHARK_PID"
wait "$TSHARK_PID" || true

OPTS="-o ip.check_checksum:TRUE -o udp.check_checksum:TRUE -o ip.defragment:TRUE"
tshark -r "$TMP/cap.pcapng" $OPTS >"$TMP/decode.txt" 2>"$TMP/decode.err" || fail "tshark could not read capture"
n_total=$(wc -l <"$TMP/decode.txt")
tshark -r "$TMP/cap.pcapng" $OPTS -Y "_ws.malformed || _ws.expert.severity >= warning" \
  >"$TMP/bad.txt" 2>"$TMP/bad.err"
[ "$n_total" -gt 20 ] || { cat "$TMP/decode.txt" >&2; fail "capture too small: $n_total"; }
# (socat talks to port 7, which tshark labels ECHO.)
for proto in ARP ICMP DNS ECHO; do expect_grep "$proto" "$TMP/decode.txt"; done
expect_grep "Fragmented IP protocol" "$TMP/decode.txt"
if [ -s "$TMP/bad.txt" ]; then cat "$TMP/bad.txt" >&2; fail "tshark found malformed packets"; fi
echo "PASS ($n_total packets decoded cleanly)"
