#!/bin/sh
# TCP behaviours against real Linux over TAP: half-close through vnet's echo, a RST from Linux
# (vnet keeps serving; `vnet recv` reports the reset), connection refused, a Linux receiver that
# stops reading (zero window: vnet probes and finishes once reading resumes; checked in a tshark
# capture), and 1,000 concurrent Linux connections to vnet's echo service.
. "$(dirname "$0")/lib.sh"
setup_tap
start_vnet_serve serve --echo 7 --discard 9

timeout 60 $PY "$PEER" half-close "$VNET_IP" 7 300000 || fail "half-close"
timeout 60 $PY "$PEER" send-rst "$VNET_IP" 9 || fail "send-rst"
sleep 0.3
grep -q "^discard " "$TMP/serve.out" && fail "a reset connection must not end like a clean one"
timeout 60 $PY "$PEER" half-close "$VNET_IP" 7 1000 || fail "echo after a reset"
timeout 120 $PY "$PEER" many "$VNET_IP" 7 1000 || fail "1000 concurrent connections"
stop_vnet_serve

# Nothing listens on 5999: Linux answers the SYN with RST.
if out=$(timeout 30 $VNETC send "$LINUX_IP" 5999 10 2>&1); then fail "send to a closed port succeeded"; fi
echo "$out" | grep -q "connection refused" || fail "expected 'connection refused', got: $out"

# Linux resets the connection while vnet reads.
$PY "$PEER" rst-server 5002 >"$TMP/rst.out" 2>&1 &
PIDS="$PIDS $!"
i=0; until grep -q ready "$TMP/rst.out"; do i=$((i+1)); [ $i -lt 50 ] || fail "rst-server"; sleep 0.1; done
if out=$(timeout 30 $VNETC recv "$LINUX_IP" 5002 2>&1); then fail "recv from a resetting peer succeeded"; fi
echo "$out" | grep -q "connection reset" || fail "expected 'connection reset', got: $out"

# Zero window: the Linux receiver sleeps 3 s before reading 3 MB.
tshark -q -i tap0 -f "tcp port 5003" -w "$TMP/zw.pcapng" >"$TMP/tshark.out" 2>&1 &
TSHARK_PID=$!
PIDS="$PIDS $TSHARK_PID"
i=0; until grep -q "Capturing on" "$TMP/tshark.out"; do i=$((i+1)); [ $i -lt 100 ] || fail "tshark"; sleep 0.1; done
$PY "$PEER" slow-reader 5003 3000000 3 >"$TMP/slow.out" 2>&1 &
SLOW_PID=$!
i=0; until grep -q ready "$TMP/slow.out"; do i=$((i+1)); [ $i -lt 50 ] || fail "slow-reader"; sleep 0.1; done
out=$(timeout 60 $VNETC send "$LINUX_IP" 5003 3000000) || fail "send to a slow reader: $out"
wait "$SLOW_PID" || { cat "$TMP/slow.out" >&2; fail "slow reader saw wrong data"; }
sleep 0.5
kill -INT "$TSHARK_PID"; wait "$TSHARK_PID" || true
tshark -r "$TMP/zw.pcapng" -Y "tcp.analysis.zero_window && ip.src == $LINUX_IP" >"$TMP/zw.txt" 2>&1
[ -s "$TMP/zw.txt" ] || fail "no zero window from Linux in the capture"
# While the window is shut vnet sends window probes (sequence number one below the next expected:
# tshark shows them as keep-alives or zero-window probes).
tshark -r "$TMP/zw.pcapng" \
  -Y "ip.src == $VNET_IP && (tcp.analysis.zero_window_probe || tcp.analysis.keep_alive)" \
  >"$TMP/probe.txt" 2>&1
[ -s "$TMP/probe.txt" ] || fail "no window probes from vnet in the capture"
echo "zero window: $(wc -l <"$TMP/zw.txt") zero-window segments, $(wc -l <"$TMP/probe.txt") probes"

# Keep-alive: an idle connection from Linux to vnet's echo; vnet probes every 300 ms after 500 ms
# of silence, Linux answers each probe, tshark sees both.
tshark -q -i tap0 -f "tcp port 7" -w "$TMP/ka.pcapng" >"$TMP/tshark2.out" 2>&1 &
TSHARK_PID=$!
PIDS="$PIDS $TSHARK_PID"
i=0; until grep -q "Capturing on" "$TMP/tshark2.out"; do i=$((i+1)); [ $i -lt 100 ] || fail "tshark"; sleep 0.1; done
VNET_TCP_KEEPALIVE=500,300,5 start_vnet_serve serve --echo 7
$PY -c "
import socket, time
s = socket.create_connection(('$VNET_IP', 7), timeout=10)
s.sendall(b'x'); assert s.recv(1) == b'x'
time.sleep(2.5)
s.sendall(b'y'); assert s.recv(1) == b'y'
s.close()
" || fail "keep-alive connection broke"
stop_vnet_serve
sleep 0.3
kill -INT "$TSHARK_PID"; wait "$TSHARK_PID" || true
tshark -r "$TMP/ka.pcapng" -Y "ip.src == $VNET_IP && tcp.analysis.keep_alive" >"$TMP/ka.txt" 2>&1
tshark -r "$TMP/ka.pcapng" -Y "ip.src == $LINUX_IP && tcp.analysis.keep_alive_ack" >"$TMP/kaack.txt" 2>&1
n=$(wc -l <"$TMP/ka.txt")
[ "$n" -ge 3 ] || { cat "$TMP/ka.txt" >&2; fail "expected >= 3 keep-alive probes from vnet, saw $n"; }
[ -s "$TMP/kaack.txt" ] || fail "no keep-alive ACKs from Linux"
echo "keep-alive: $n probes from vnet, $(wc -l <"$TMP/kaack.txt") answers from Linux"
echo PASS
