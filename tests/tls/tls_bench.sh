#!/bin/bash
# Handshake times of the kernel's TLS sessions, measured in the guest (tlsprobe: the kernel's
# handshake_ns, from SYS_TLS_HANDSHAKE's start to its end) against openssl s_server on Linux over
# TAP in a private network namespace. Prints a Markdown section for BENCHMARKS.md.
#   full:    a server that sends no tickets (-num_tickets 0), so every connection is a full
#            handshake: X25519 + RSA-2048 chain (and a P-256 ECDSA chain) verified to the test CA;
#   resumed: a server with tickets; connection 1 is full, the rest resume (psk_dhe_ke, X25519);
#   bulk:    8 MB through one session to an echo server and back, checked byte by byte (ping-pong,
#            16 KiB in flight); 64 MiB downloaded from `openssl s_server -WWW` and 64 MiB uploaded
#            to a sink through one session each, 64 KiB per call, not hashed in the guest (hashed
#            transfers are //tests/tls:tls_bulk_test).
# Usage: bazel run //tests/tls:tls_bench [-- N]   (N connections per row, default 20)
set -eu
n=${1:-20}
rf=$PWD  # the runfiles tree (bazel run starts there): ./viperdos.qemu.sh
[ -x "$rf/viperdos.qemu.sh" ] || { echo "viperdos.qemu.sh not found: use bazel run"; exit 1; }
. tests/lib/netns_tap.sh
. tests/lib/test_pki.sh
netns_tap_require openssl python3
export TLS_PEER="$rf/tests/tls/tls_peer.py"  # Python TLS echo server and upload sink
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
pki_root "$work" ca "/CN=Bench CA" rsa
pki_leaf "$work" rsa.test "/CN=rsa.test" rsa.test ca rsa
pki_leaf "$work" ecdsa.test "/CN=ecdsa.test" ecdsa.test ca ec
mkdir www
head -c 67108864 /dev/urandom >www/big.bin
unshare -n bash -c '
  set -e
  . "$NETNS_TAP_LIB"
  n=$1
  rf=$2
  work=$PWD
  netns_tap_up 192.168.79 "$work" --address=/test/192.168.79.1
  pids=$NETNS_TAP_DNSMASQ_PID
  openssl s_server -tls1_3 -accept 192.168.79.1:4431 -cert rsa.test.pem -key rsa.test.key \
    -www -quiet </dev/null >s1.log 2>&1 &
  pids="$pids $!"
  openssl s_server -tls1_3 -num_tickets 0 -accept 192.168.79.1:4432 -cert rsa.test.pem \
    -key rsa.test.key -www -quiet </dev/null >s2.log 2>&1 &
  pids="$pids $!"
  openssl s_server -tls1_3 -num_tickets 0 -accept 192.168.79.1:4433 -cert ecdsa.test.pem \
    -key ecdsa.test.key -www -quiet </dev/null >s3.log 2>&1 &
  pids="$pids $!"
  /usr/bin/python3 "$TLS_PEER" echo rsa.test.pem rsa.test.key 192.168.79.1 4434 >echo.log 2>&1 &
  pids="$pids $!"
  (cd www && exec openssl s_server -tls1_3 -accept 192.168.79.1:4435 -cert ../rsa.test.pem \
    -key ../rsa.test.key -WWW -quiet </dev/null >../s4.log 2>&1) &
  pids="$pids $!"
  /usr/bin/python3 "$TLS_PEER" sink rsa.test.pem rsa.test.key 192.168.79.1 4436 >sink.log 2>&1 &
  pids="$pids $!"
  sleep 1
  printf "%s\n" "Run tlsprobe rsa.test 4432 --ca /etc/ca.pem -n $n" \
    "Run tlsprobe ecdsa.test 4433 --ca /etc/ca.pem -n $n" \
    "Run tlsprobe rsa.test 4431 --ca /etc/ca.pem -n $((n + 1))" \
    "Run tlsprobe rsa.test 4434 --ca /etc/ca.pem --echo 8000000" \
    "Run tlsprobe rsa.test 4435 --ca /etc/ca.pem --get /big.bin" \
    "Run tlsprobe rsa.test 4436 --ca /etc/ca.pem --upload 67108864" "Shutdown" |
    (cd "$rf" && ./viperdos.qemu.sh --net tap=$NETNS_TAP_DEV --timeout 300 \
      --file "$work/ca.pem:/etc/ca.pem" --append "$(netns_tap_append 192.168.79)") >guest.out 2>&1 ||
    true
  kill $pids 2>/dev/null || true
  wait 2>/dev/null || true
' _ "$n" "$rf"
sed -i 's/\r//g' guest.out
# The first three tlsprobe runs' summaries (the bulk runs print one each too).
rows=$(grep -E "^(full|resumed) handshakes:" guest.out | head -5 || true)
[ "$(echo "$rows" | grep -c .)" -eq 5 ] || { cat guest.out; echo "bench: missing results"; exit 1; }
f_rsa=$(echo "$rows" | sed -n 1p)
f_ec=$(echo "$rows" | sed -n 2p)
r_rsa=$(echo "$rows" | sed -n 4p)
bulk=$(grep -E "^echo: " guest.out || true)
[ -n "$bulk" ] || { cat guest.out; echo "bench: no echo result"; exit 1; }
down=$(grep -E "^body: 67108864 bytes" guest.out || true)
up=$(grep -E "^upload: 67108864 bytes" guest.out || true)
[ -n "$down" ] && [ -n "$up" ] || { cat guest.out; echo "bench: no download/upload result"; exit 1; }
grep -q "^sink: 67108864 bytes" sink.log || { cat sink.log; echo "bench: sink got less"; exit 1; }
suite_down=$(grep -E "^conn 1: " guest.out | sed -n 5p | cut -d' ' -f4)
suite_up=$(grep -E "^conn 1: " guest.out | sed -n 6p | cut -d' ' -f4)
suite_echo=$(grep -E "^conn 1: " guest.out | sed -n 4p | cut -d' ' -f4)
cat <<MD
## Kernel TLS handshakes in the guest (tests/tls)

Command: \`bazel run //tests/tls:tls_bench -- $n\`, run $(date -u '+%Y-%m-%d %H:%M UTC'),
$(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg) at the end. The kernel's own
handshake time (\`SYS_TLS_INFO.handshake_ns\`: from SYS_TLS_HANDSHAKE's start to its end, network
round trips included) for $n connections per row from \`/bin/tlsprobe\` (QEMU 7.2 TCG, \`-cpu
max\`, fastbuild) to \`openssl s_server -tls1_3\` on Linux over TAP in a private netns;
certificates verified to a test CA given with \`--ca\`. Full rows use \`-num_tickets 0\` so every
connection is a full handshake. The first connection of a boot is the max (TCG translates the
code on first use).

| handshake | seed | target | measured |
|-----------|------|--------|----------|
| full, X25519 + RSA-2048 chain | 50–200 ms | ≤ 25 ms | ${f_rsa#full handshakes: } |
| full, X25519 + P-256 ECDSA chain | 50–200 ms | ≤ 25 ms | ${f_ec#full handshakes: } |
| resumed (ticket, psk_dhe_ke X25519) | — | — | ${r_rsa#resumed handshakes: } |

Bulk through one session (the kernel offers ChaCha20-Poly1305 first, kernel/tls/ktls_opts.h):
- download, \`tlsprobe --get /big.bin\` from \`openssl s_server -WWW\` (64 MiB, $suite_down, 64 KiB
  per tls_recv): ${down#body: };
- upload, \`tlsprobe --upload 67108864\` to a Python \`ssl\` sink following the client's order
  ($suite_up, 64 KiB per tls_send): ${up#upload: };
- echo, \`tlsprobe --echo 8000000\` (16 KiB writes to a Python \`ssl\` echo server, at most 16 KiB
  in flight, every byte checked; $suite_echo, the server's pick): ${bulk#echo: }.
MD
