#!/bin/bash
# Bulk data through one kernel TLS session, checked with SHA-256 on both ends (the host
# scenario "64 MB through the session with sha256 checked", run from the guest).
#
# Linux side, in a private network namespace this test creates (TAP, dnsmasq for bulk.test):
#   - download: `openssl s_server -tls1_3 -WWW` serves a 64 MiB random file; the guest's
#     tlsprobe --get --sha256 hashes the body it received; the test compares with sha256sum;
#   - upload: the guest's tlsprobe --upload sends 64 MiB of a test pattern and prints the SHA-256
#     of what it sent; a Python ssl sink hashes what arrived (up to close_notify); both must match.
# Rates (MB/s) are printed for information; speed is judged in tls_bench, not here.
# BULK_BYTES overrides the size, BULK_SUITE the download server's TLS 1.3 suite (quick local runs
# and comparisons).
set -u
. tests/lib/netns_tap.sh
. tests/lib/test_pki.sh
tmp="${TEST_TMPDIR:-/tmp}"
bytes=${BULK_BYTES:-67108864}
suite=${BULK_SUITE:-}
fail() {
  echo "FAIL: $*"
  exit 1
}
netns_tap_require openssl python3 sha256sum || fail "a tool is missing (above)"
[ -x ./viperdos.qemu.sh ] || fail "viperdos.qemu.sh not in the runfiles"
export TLS_PEER="$PWD/tests/tls/tls_peer.py"  # the upload sink

w="$tmp/bulk"
rm -rf "$w"
mkdir -p "$w/www"
pki_root "$w" ca "/CN=Bulk Test CA" rsa &&
  pki_leaf "$w" leaf "/CN=bulk.test" bulk.test ca rsa ||
  fail "could not generate the test PKI: $(cat "$w/openssl.log")"
head -c "$bytes" /dev/urandom >"$w/www/big.bin" || fail "cannot write the test file"
want_down=$(sha256sum "$w/www/big.bin" | cut -d' ' -f1)

start=$(date +%s)
unshare -n bash -c '
  set -e
  . "$NETNS_TAP_LIB"
  w=$1
  bytes=$2
  suite=$3
  netns_tap_up 192.168.76 "$w" --address=/test/192.168.76.1
  pids=$NETNS_TAP_DNSMASQ_PID
  (cd "$w/www" && exec openssl s_server -tls1_3 -accept 192.168.76.1:4441 -cert ../leaf.pem \
    -key ../leaf.key -WWW -quiet ${suite:+-ciphersuites "$suite"} </dev/null >"$w/s_server.log" 2>&1) &
  pids="$pids $!"
  python3 "$TLS_PEER" sink "$w/leaf.pem" "$w/leaf.key" 192.168.76.1 4442 >"$w/sink.log" 2>&1 &
  pids="$pids $!"
  sleep 1
  ca="--ca /etc/ca.pem"
  printf "%s\n" \
    "Run tlsprobe bulk.test 4441 $ca --get /big.bin --sha256" \
    "Run tlsprobe bulk.test 4442 $ca --upload $bytes --sha256" \
    ${BULK_NOHASH:+"Run tlsprobe bulk.test 4441 $ca --get /big.bin"} \
    "Shutdown" |
    ./viperdos.qemu.sh --net tap=$NETNS_TAP_DEV --timeout 170 --file "$w/ca.pem:/etc/ca.pem" \
      --append "$(netns_tap_append 192.168.76)" >"$w/guest.out" 2>&1 ||
    echo "guest run exited $?" >>"$w/guest.out"
  sleep 1  # the sink prints after close_notify
  kill $pids 2>/dev/null || true
  wait 2>/dev/null || true
' _ "$w" "$bytes" "$suite" || fail "namespace setup failed"
end=$(date +%s)

g="$w/guest.out"
sed -i 's/\r//g' "$g"  # the serial console ends lines with CR LF
show() {
  for f in "$g" "$w/s_server.log" "$w/sink.log" "$w/dnsmasq.log"; do
    echo "--- $f"
    cat "$f"
  done
}
down=$(grep -E "^body: " "$g" | head -1)
up=$(grep -E "^upload: " "$g" | head -1)
sink=$(grep -E "^sink: " "$w/sink.log" | head -1)
grep -E "^conn 1: " "$g"
echo "download: $down"
echo "upload:   $up"
echo "sink:     $sink"
echo "guest run: $((end - start)) s"
[ -n "$down" ] || { show; fail "no download result"; }
# Both servers follow the client's order: the kernel's first choice (kernel/tls/ktls_opts.h).
[ -n "$suite" ] || [ "$(grep -cE "^conn 1: TLSv1.3 TLS_CHACHA20_POLY1305_SHA256 X25519 resumed=no verify=ok" "$g")" -eq 2 ] ||
  { show; fail "the kernel did not get ChaCha20-Poly1305, its first choice, from both servers"; }
[ "$down" != "${down#"body: $bytes bytes sha256 $want_down,"}" ] ||
  { show; fail "download: want $bytes bytes sha256 $want_down"; }
[ -n "$up" ] && [ -n "$sink" ] || { show; fail "no upload result"; }
up_hash=$(echo "$up" | sed -E 's/^upload: ([0-9]+) bytes sha256 ([0-9a-f]{64}),.*/\1 \2/')
sink_hash=$(echo "$sink" | sed -E 's/^sink: ([0-9]+) bytes sha256 ([0-9a-f]{64})$/\1 \2/')
[ "$up_hash" = "$bytes ${sink_hash#* }" ] && [ "$sink_hash" = "$up_hash" ] ||
  { show; fail "upload: guest sent '$up_hash', sink got '$sink_hash'"; }
echo "PASS: $bytes bytes each way through one TLS session, SHA-256 equal on both ends"
