#!/bin/bash
# virtio-net frames flowing, against real peers:
#  1. --net user (slirp, restrict=on): arping's gratuitous ARP and request appear in the host-side
#     capture (--pcap, read by tshark) and slirp's ARP reply reaches the guest.
#  2. --net tap in a private network namespace: Linux answers the guest's ARP request, and
#     learns the guest's MAC from it (its neighbour table shows the entry).
set -u
tmp="${TEST_TMPDIR:-/tmp}"
fail() {
  echo "FAIL: $*"
  exit 1
}

pcap="$tmp/user.pcap"
printf 'Run arping\nShutdown\n' | ./viperdos.qemu.sh --net user --pcap "$pcap" --timeout 60 \
  >"$tmp/user.out" 2>&1 || { cat "$tmp/user.out"; fail "user-mode run exited $?"; }
grep -q "virtio-net: MAC 52:54:00:12:34:56, link up" "$tmp/user.out" || fail "no NIC line"
grep -q "arping: reply from 10.0.2.2 at 52:55:0a:00:02:02" "$tmp/user.out" ||
  { cat "$tmp/user.out"; fail "no ARP reply from slirp"; }
announce=$(tshark -r "$pcap" -Y 'arp.opcode==1 && arp.src.proto_ipv4==10.0.2.15 &&
  arp.dst.proto_ipv4==10.0.2.15 && eth.src==52:54:00:12:34:56' 2>/dev/null | wc -l)
reply=$(tshark -r "$pcap" -Y 'arp.opcode==2 && arp.src.proto_ipv4==10.0.2.2 &&
  eth.dst==52:54:00:12:34:56' 2>/dev/null | wc -l)
# Two announcements: the kernel's stack when the interface comes up, then arping's own.
[[ $announce -eq 2 && $reply -eq 1 ]] ||
  fail "capture: $announce gratuitous ARP, $reply replies (want 2 and 1)"
echo "ok   user: gratuitous ARP captured, slirp reply received"

unshare -n bash -c '
  set -e
  ip link set lo up
  ip tuntap add dev vtap0 mode tap
  ip addr add 192.168.77.1/24 dev vtap0
  ip link set vtap0 up
  # The guest stays up a few seconds after arping: closing the TAP drops the carrier, and
  # Linux then flushes the neighbour entry we want to see.
  printf "Run arping 192.168.77.1 192.168.77.2\nWait 4\nShutdown\n" |
    ./viperdos.qemu.sh --net tap=vtap0 --timeout 60 > "$1/tap.out" 2>&1 &
  vm=$!
  for i in $(seq 100); do
    ip neigh show dev vtap0 > "$1/neigh.out"
    grep -q lladdr "$1/neigh.out" && break
    sleep 0.1
  done
  wait $vm
' _ "$tmp" || { cat "$tmp/tap.out"; fail "tap run failed"; }
grep -q "arping: reply from 192.168.77.1 at" "$tmp/tap.out" ||
  { cat "$tmp/tap.out"; fail "Linux did not answer over TAP"; }
grep -q "192.168.77.2 lladdr 52:54:00:12:34:56" "$tmp/neigh.out" ||
  { cat "$tmp/neigh.out"; fail "Linux did not learn the guest's MAC"; }
echo "ok   tap: Linux answered and learned 52:54:00:12:34:56"
