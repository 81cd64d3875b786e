#!/bin/sh
# `vnet resolve` against dnsmasq on the Linux side: A, a CNAME chain, NXDOMAIN, a server that
# refuses (no listener -> ICMP port unreachable) and one that is down (no host -> timeout).
. "$(dirname "$0")/lib.sh"
setup_tap
dnsmasq --no-daemon --no-resolv --no-hosts --bind-interfaces --listen-address="$LINUX_IP" \
  --port=53 --local=/test/ --address=/a.test/10.9.0.50 --address=/linux.test/10.9.0.1 \
  --host-record=real.test,10.9.0.60 --cname=www.test,mid.test --cname=mid.test,real.test \
  --pid-file="$TMP/dnsmasq.pid" --log-queries --log-facility="$TMP/dnsmasq.log" &
PIDS="$PIDS $!"
i=0
until grep -q "started" "$TMP/dnsmasq.log" 2>/dev/null; do
  i=$((i + 1)); [ $i -lt 50 ] || fail "dnsmasq did not start"; sleep 0.1
done

V="$VNET --tap tap0 --ip $VNET_IP/24 --dns $LINUX_IP"
$V resolve a.test >"$TMP/r1" || fail "resolve a.test"
expect_grep "a.test has address 10.9.0.50" "$TMP/r1"

$V resolve WWW.Test >"$TMP/r2" || fail "resolve www.test"
expect_grep "WWW.Test is an alias for real.test" "$TMP/r2"
expect_grep "real.test has address 10.9.0.60" "$TMP/r2"

# ping by name goes through the resolver first.
$V ping linux.test -c 1 >"$TMP/rp" || fail "ping linux.test"
expect_grep "PING linux.test (10.9.0.1)" "$TMP/rp"
expect_grep "1 received" "$TMP/rp"

if $V resolve nope.test >"$TMP/r3" 2>&1; then fail "nope.test resolved"; fi
expect_grep "name does not exist (NXDOMAIN)" "$TMP/r3"

if $V resolve "bad..name" >"$TMP/r4" 2>&1; then fail "bad name accepted"; fi
expect_grep "invalid name" "$TMP/r4"

# A host that is up but runs no DNS server: ICMP port unreachable on every try.
ip addr add 10.9.0.3/24 dev tap0
if $VNET --tap tap0 --ip "$VNET_IP/24" --dns 10.9.0.3 resolve a.test >"$TMP/r6" 2>&1; then
  fail "resolve via a refusing server succeeded"
fi
expect_grep "connection refused" "$TMP/r6"

# Server down (no such host): three tries, then a clear timeout message.
start=$(date +%s)
if $VNET --tap tap0 --ip "$VNET_IP/24" --dns 10.9.0.99 resolve a.test >"$TMP/r7" 2>&1; then
  fail "resolve via a dead server succeeded"
fi
expect_grep "timed out: no answer from DNS server 10.9.0.99 after 3 tries" "$TMP/r7"
[ $(( $(date +%s) - start )) -ge 2 ] || fail "timeout came too early"
grep -c "query\[A\]" "$TMP/dnsmasq.log" >/dev/null || fail "dnsmasq saw no queries"
echo PASS
