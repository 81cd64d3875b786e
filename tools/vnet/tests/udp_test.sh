#!/bin/sh
# UDP echo through vnet with socat as the Linux peer; ICMP port unreachable for a closed port.
. "$(dirname "$0")/lib.sh"
setup_tap
start_vnet_serve serve --udp-echo 7 --udp-echo 5353

for port in 7 5353; do
  out=$(echo "hello via $port" | socat -t 2 - "UDP:$VNET_IP:$port")
  [ "$out" = "hello via $port" ] || fail "udp echo on $port returned '$out'"
done
# A datagram larger than the MTU: fragmented by Linux, reassembled by vnet, echoed fragmented.
head -c 6000 /dev/urandom >"$TMP/big"
socat -t 2 -b 65536 - "UDP:$VNET_IP:7" <"$TMP/big" >"$TMP/big.echo"
cmp "$TMP/big" "$TMP/big.echo" || fail "6000-byte datagram not echoed intact"
# Closed port: Linux's connected UDP socket sees ECONNREFUSED from vnet's ICMP error.
if printf 'x' | socat -t 1 - "UDP:$VNET_IP:9" 2>"$TMP/refused"; then
  # socat may exit 0 before the ICMP arrives; the stats below are the real check.
  :
fi
sleep 0.3
stop_vnet_serve
expect_grep "udp_rx 4" "$TMP/serve.out"
expect_grep "drop_udp_no_port 1" "$TMP/serve.out"
expect_grep "udp_sockets 2" "$TMP/serve.out"

# `stats` on its own, and --stats after another command.
"$VNET" --tap tap0 --ip "$VNET_IP/24" stats >"$TMP/stats" || fail "vnet stats"
expect_grep "^arp_tx 1$" "$TMP/stats"
expect_grep "^tx_packets 1$" "$TMP/stats"
"$VNET" --tap tap0 --ip "$VNET_IP/24" --stats ping "$LINUX_IP" -c 1 >"$TMP/pstats" &&
  "$VNET" --tap tap0 --ip "$VNET_IP/24" ping "$LINUX_IP" -c 1 --stats >"$TMP/pstats2" ||
  fail "vnet --stats ping"
expect_grep "^icmp_rx 1$" "$TMP/pstats"
expect_grep "^icmp_tx 1$" "$TMP/pstats"
expect_grep "^icmp_rx 1$" "$TMP/pstats2"
echo PASS
