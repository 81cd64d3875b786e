#!/bin/bash
# The kernel's network stack (kernel/net + net/) against Linux over TAP, in a private network
# namespace this test creates:
#  - Linux pings the guest (56 bytes, and 4000 bytes: fragmentation and reassembly both ways);
#  - `Run ping` in the guest pings Linux: replies and an iputils-style summary;
#  - `Run resolve` resolves names through dnsmasq on the Linux side (an A record, a CNAME,
#    NXDOMAIN);
#  - the guest takes its address, gateway and DNS server from the kernel command line.
set -u
. tests/lib/netns_tap.sh
tmp="${TEST_TMPDIR:-/tmp}"
fail() {
  echo "FAIL: $*"
  exit 1
}
netns_tap_require ping || fail "a tool is missing (above)"

unshare -n bash -c '
  set -e
  . "$NETNS_TAP_LIB"
  out=$1
  netns_tap_up 192.168.77 "$out" --address=/name.test/192.168.77.9 \
    --cname=alias.test,name.test --local=/test/
  dns=$NETNS_TAP_DNSMASQ_PID
  # The guest waits at the end so Linux can ping it; Wait polls the stack like any idle wait.
  printf "%s\n" "Run ping -c 3 192.168.77.1" "Run resolve name.test" "Run resolve alias.test" \
    "Run resolve nosuch.test" "Run netstat -s" "Wait 10" "Shutdown" |
    ./viperdos.qemu.sh --net tap=$NETNS_TAP_DEV --timeout 90 \
      --append "$(netns_tap_append 192.168.77)" >"$out/guest.out" 2>&1 &
  vm=$!
  up=0
  for i in $(seq 60); do
    if ping -c 1 -W 1 192.168.77.2 >/dev/null 2>&1; then up=1; break; fi
  done
  if [ $up = 1 ]; then
    ping -c 5 -i 0.2 192.168.77.2 >"$out/ping.out" 2>&1 || true
    ping -c 3 -i 0.3 -s 4000 192.168.77.2 >"$out/ping4000.out" 2>&1 || true
  fi
  wait $vm || echo "guest run exited $?" >>"$out/guest.out"
  kill $dns 2>/dev/null || true
  wait $dns 2>/dev/null || true
' _ "$tmp" || fail "namespace setup failed"

show() {
  echo "--- guest"; cat "$tmp/guest.out"
  echo "--- linux ping"; cat "$tmp/ping.out" "$tmp/ping4000.out" 2>/dev/null
  echo "--- dnsmasq"; cat "$tmp/dnsmasq.log"
}
grep -q "net: 192.168.77.2/24 gw 192.168.77.1 dns 192.168.77.1" "$tmp/guest.out" ||
  { show; fail "the command line did not configure the stack"; }
grep -q "5 packets transmitted, 5 received, 0% packet loss" "$tmp/ping.out" 2>/dev/null ||
  { show; fail "Linux could not ping the guest"; }
echo "ok   Linux pings the guest: $(grep rtt "$tmp/ping.out")"
grep -q "3 packets transmitted, 3 received, 0% packet loss" "$tmp/ping4000.out" ||
  { show; fail "4000-byte pings (fragmented) were not answered"; }
grep -q "^4008 bytes from 192.168.77.2" "$tmp/ping4000.out" || { show; fail "no 4008-byte replies"; }
echo "ok   Linux pings the guest with 4000 bytes (fragments both ways)"
for s in 1 2 3; do
  grep -Eq "^64 bytes from 192.168.77.1: icmp_seq=$s ttl=64 time=[0-9]+\.[0-9]{3} ms" \
    "$tmp/guest.out" || { show; fail "guest ping: no reply line for icmp_seq=$s"; }
done
grep -q "^--- 192.168.77.1 ping statistics ---" "$tmp/guest.out" || { show; fail "no summary"; }
grep -Eq "^3 packets transmitted, 3 received, 0% packet loss, time [0-9]+ms" "$tmp/guest.out" ||
  { show; fail "guest ping summary wrong"; }
grep -Eq "^rtt min/avg/max/mdev = [0-9.]+/[0-9.]+/[0-9.]+/[0-9.]+ ms" "$tmp/guest.out" ||
  { show; fail "no rtt line"; }
echo "ok   guest pings Linux: $(grep '^rtt' "$tmp/guest.out")"
grep -q "^name.test has address 192.168.77.9" "$tmp/guest.out" ||
  { show; fail "resolve name.test through dnsmasq"; }
grep -q "^alias.test is an alias for name.test." "$tmp/guest.out" || { show; fail "CNAME not shown"; }
[[ $(grep -c "^name.test has address 192.168.77.9" "$tmp/guest.out") -eq 2 ]] ||
  { show; fail "CNAME chain not followed to the address"; }
grep -q "resolve: nosuch.test: name does not exist (NXDOMAIN)" "$tmp/guest.out" ||
  { show; fail "NXDOMAIN not reported"; }
grep -q "Program 'resolve' exited with status 1" "$tmp/guest.out" || { show; fail "resolve status"; }
echo "ok   guest resolves through dnsmasq (A record, CNAME, NXDOMAIN)"
grep -Eq "^dns_queries [1-9]" "$tmp/guest.out" || { show; fail "stats: no DNS queries counted"; }
grep -q "ViperDOS: power off" "$tmp/guest.out" || { show; fail "guest did not shut down"; }
echo "ok   netstat counted the traffic; clean shutdown"
