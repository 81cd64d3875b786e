#!/bin/sh
# Linux pings vnet (plain and 4000 bytes: fragmentation + reassembly both ways), vnet pings Linux,
# and Linux's neighbour table shows vnet's MAC.
. "$(dirname "$0")/lib.sh"
setup_tap
start_vnet_serve serve

ping -c 3 -i 0.2 -W 2 "$VNET_IP" >"$TMP/p1" || fail "ping vnet"
expect_grep "3 received" "$TMP/p1"
ping -c 3 -i 0.2 -s 4000 -W 2 "$VNET_IP" >"$TMP/p2" || fail "ping -s 4000 vnet"
expect_grep "4008 bytes from $VNET_IP" "$TMP/p2"
expect_grep "3 received" "$TMP/p2"
# Don't-fragment pings larger than the MTU must not be answered in pieces... they never leave
# Linux; a 1472-byte one (exactly one frame) must work.
ping -c 1 -M do -s 1472 -W 2 "$VNET_IP" >/dev/null || fail "ping 1472 DF"

ip neigh show dev tap0 >"$TMP/neigh"
expect_grep "$VNET_IP lladdr $VNET_MAC" "$TMP/neigh"

stop_vnet_serve
expect_grep "ip_reassembled 3" "$TMP/serve.out"
expect_grep "ip_frag_tx 9" "$TMP/serve.out"

# vnet pings Linux: iputils-like output, exit 0.
"$VNET" --tap tap0 --ip "$VNET_IP/24" ping "$LINUX_IP" -c 3 -i 100 -s 4000 >"$TMP/vp" ||
  fail "vnet ping Linux"
expect_grep "PING $LINUX_IP ($LINUX_IP) 4000(4028) bytes of data." "$TMP/vp"
expect_grep "4008 bytes from $LINUX_IP: icmp_seq=3 ttl=64 time=" "$TMP/vp"
expect_grep "3 packets transmitted, 3 received, 0% packet loss" "$TMP/vp"
expect_grep "rtt min/avg/max/mdev = " "$TMP/vp"

# No reply -> exit 1 and 100% loss.
if "$VNET" --tap tap0 --ip "$VNET_IP/24" ping 10.9.0.77 -c 2 -i 100 -W 500 >"$TMP/vp2"; then
  fail "ping to a missing host succeeded"
fi
expect_grep "2 packets transmitted, 0 received, 100% packet loss" "$TMP/vp2"

# Off-link without a gateway -> clear error; with a gateway Linux answers for the next hop.
if "$VNET" --tap tap0 --ip "$VNET_IP/24" ping 192.0.2.1 -c 1 -W 200 >"$TMP/vp3" 2>&1; then
  fail "off-link ping without gateway succeeded"
fi
expect_grep "network unreachable" "$TMP/vp3"

# Off-link through the gateway: vnet resolves the gateway's MAC, Linux answers for its own
# off-subnet address.
ip addr add 192.0.2.1/32 dev lo
"$VNET" --tap tap0 --ip "$VNET_IP/24" --gw "$LINUX_IP" ping 192.0.2.1 -c 2 -i 100 >"$TMP/vp4" ||
  fail "ping via gateway"
expect_grep "2 received" "$TMP/vp4"

# The impairment layer in the TAP driver: 40 ms each way shows in the RTT; total loss loses all.
"$VNET" --tap tap0 --ip "$VNET_IP/24" --impair delay=40 ping "$LINUX_IP" -c 2 -i 100 >"$TMP/vp5" ||
  fail "ping with delay"
min=$(sed -n 's|^rtt min/avg/max/mdev = \([0-9]*\)\..*|\1|p' "$TMP/vp5")
[ -n "$min" ] && [ "$min" -ge 80 ] || { cat "$TMP/vp5" >&2; fail "RTT with 2x40 ms delay: $min"; }
if "$VNET" --tap tap0 --ip "$VNET_IP/24" --impair loss=100 ping "$LINUX_IP" -c 2 -i 100 -W 300 \
    >"$TMP/vp6"; then
  fail "ping with 100% loss succeeded"
fi
expect_grep "0 received, 100% packet loss" "$TMP/vp6"
if "$VNET" --tap tap0 --ip "$VNET_IP/24" --impair loss=200 ping "$LINUX_IP" 2>"$TMP/vp7"; then
  fail "bad --impair accepted"
fi
expect_grep "bad --impair" "$TMP/vp7"
echo PASS
