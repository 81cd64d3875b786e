#!/bin/sh
# Floods vnet with malformed frames from Linux (malformed_frames.py): vnet must drop them with
# reasons, not crash (under --config=asan/ubsan this also catches memory errors), and still
# answer ping, UDP and a fragmented ping afterwards.
. "$(dirname "$0")/lib.sh"
setup_tap
start_vnet_serve serve --udp-echo 7
/usr/bin/python3 "$(dirname "$0")/malformed_frames.py" tap0 "$VNET_MAC" "$VNET_IP" "$LINUX_IP" \
  5000 1 >"$TMP/flood" || fail "flood script failed"
cat "$TMP/flood"
ping -c 3 -i 0.2 -W 2 "$VNET_IP" >/dev/null || fail "vnet stopped answering ping"
ping -c 1 -s 3000 -W 2 "$VNET_IP" >/dev/null || fail "vnet stopped reassembling"
out=$(echo alive | socat -t 2 - "UDP:$VNET_IP:7")
[ "$out" = "alive" ] || fail "vnet stopped echoing UDP"
stop_vnet_serve
# Most frames arrive (a slow vnet, e.g. under ASan, lets the TAP queue overflow); rejected ones
# are counted by reason (held fragments that never complete count once per datagram, when
# evicted or timed out).
rx=$(sed -n 's/^rx_packets //p' "$TMP/serve.out")
drops=$(sed -n 's/^drops_total //p' "$TMP/serve.out")
[ "${rx:-0}" -ge 2500 ] || { cat "$TMP/serve.out" >&2; fail "only ${rx:-0} frames received"; }
[ "${drops:-0}" -ge 500 ] || { cat "$TMP/serve.out" >&2; fail "only ${drops:-0} drops counted"; }
for r in ip_bad_hlen ip_bad_len ip_bad_options ip_frag_overlap ip_frag_too_big udp_bad_len \
  arp_malformed eth_short icmp_short; do
  expect_grep "drop_$r " "$TMP/serve.out"
done
echo PASS
