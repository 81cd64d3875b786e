#!/bin/bash
# Kernel TLS from the guest against real TLS 1.3 servers on Linux, in a private network namespace
# this test creates, with a PKI it generates (valid from now: the guest's clock is the PL031 RTC,
# which QEMU starts at the host's UTC time).
#
# Over TAP (guest 192.168.78.2, Linux 192.168.78.1, dnsmasq resolves the *.test names):
#   - RSA chain (openssl s_server -tls1_3) and ECDSA chain over P-256 (nginx, TLS 1.3 only)
#     verify with the test CA given to the guest as a file (--ca), and an HTTP GET ends with
#     close_notify;
#   - the second and third connections to the same server resume with the ticket;
#   - 2 MB through a TLS echo server (Python ssl) come back identical (many records both ways);
#   - wrong host name, unknown CA, expired and not-yet-valid certificates, a TLS 1.2-only server,
#     and a server that drops TCP without close_notify each fail with their own message;
#   - no --ca: the built-in roots do not trust the test CA;
#   - the tls program (user/tls): one field per line, ALPN, --twice resumes; a server that never
#     answers times out (--timeout);
#   - bad pointers, lengths, handles and configurations to every call (tlsabuse), the session
#     table's bound;
#   - programs that end with a session still open: the kernel frees it (heap back to its level).
# Through slirp (QEMU user networking, restrict=on): guestfwd to an s_server on Linux loopback.
set -u
. tests/lib/netns_tap.sh
. tests/lib/test_pki.sh
tmp="${TEST_TMPDIR:-/tmp}"
fail() {
  echo "FAIL: $*"
  exit 1
}
netns_tap_require openssl nginx socat || fail "a tool is missing (above)"
export TLS_PEER="$PWD/tests/tls/tls_peer.py"  # Python TLS echo and truncating servers

pki="$tmp/pki"
rm -rf "$pki"
mkdir -p "$pki"
# ---------------------------------------------------------------- PKI
# leaf NAME KEYTYPE CA [START END]: the server certificate for NAME.test.
leaf() {
  pki_leaf "$pki" "$1" "/O=ViperDOS Test/CN=$1.test" "$1.test" "$3" "$2" "${@:4}"
}
# RSA root, ECDSA (P-256) root, and a root the guest is never told about.
pki_root "$pki" rsa_ca "/O=ViperDOS Test/CN=Test RSA Root" rsa &&
  pki_root "$pki" ec_ca "/O=ViperDOS Test/CN=Test ECDSA Root" ec &&
  pki_root "$pki" other_ca "/CN=Somebody Else" rsa &&
  cat "$pki/rsa_ca.pem" "$pki/ec_ca.pem" >"$pki/trusted.pem" &&
  leaf rsa rsa rsa_ca &&
  leaf ecdsa ec ec_ca &&
  leaf unknown rsa other_ca &&
  leaf expired rsa rsa_ca 20200101000000Z 20210101000000Z &&
  leaf future rsa rsa_ca 20990101000000Z 20991231000000Z &&
  leaf old rsa rsa_ca &&
  leaf slirp rsa rsa_ca ||
  fail "could not generate the test PKI: $(cat "$pki/openssl.log")"

cat >"$pki/nginx.conf" <<EOF
daemon off;
master_process off;
# The sandbox may not map nobody (nginx's default worker user); stay who we are.
user root root;
worker_processes 1;
pid $pki/nginx.pid;
error_log stderr;
events { worker_connections 16; }
http {
  access_log off;
  client_body_temp_path $pki;
  proxy_temp_path $pki;
  fastcgi_temp_path $pki;
  uwsgi_temp_path $pki;
  scgi_temp_path $pki;
  server {
    listen 192.168.78.1:4432 ssl;
    server_name ecdsa.test;
    ssl_certificate $pki/ecdsa.pem;
    ssl_certificate_key $pki/ecdsa.key;
    ssl_protocols TLSv1.3;
    ssl_ecdh_curve prime256v1;
    location / { return 200 "hello from nginx over TLS 1.3\n"; }
  }
}
EOF

# ---------------------------------------------------------------- guest over TAP
unshare -n bash -c '
  set -e
  . "$NETNS_TAP_LIB"
  out=$1
  pki=$2
  netns_tap_up 192.168.78 "$out" --address=/test/192.168.78.1
  pids=$NETNS_TAP_DNSMASQ_PID
  srv() {
    local port=$1 name=$2
    shift 2
    openssl s_server -accept 192.168.78.1:$port -cert "$pki/$name.pem" -key "$pki/$name.key" \
      -www -quiet "$@" </dev/null >"$out/s_server_$port.log" 2>&1 &
    pids="$pids $!"
  }
  srv 4431 rsa -tls1_3
  srv 4433 expired -tls1_3
  srv 4434 unknown -tls1_3
  srv 4435 old -tls1_2
  srv 4437 future -tls1_3
  srv 4438 rsa -tls1_3 -alpn http/1.1
  # Accepts TCP and never answers: a handshake that must time out.
  socat TCP-LISTEN:4439,bind=192.168.78.1,reuseaddr,fork SYSTEM:"sleep 30" >/dev/null 2>&1 &
  pids="$pids $!"
  /usr/bin/python3 "$TLS_PEER" truncate "$pki/rsa.pem" "$pki/rsa.key" 192.168.78.1 4436 \
    >"$out/truncate.log" 2>&1 &
  pids="$pids $!"
  /usr/bin/python3 "$TLS_PEER" echo "$pki/rsa.pem" "$pki/rsa.key" 192.168.78.1 4440 \
    >"$out/echo.log" 2>&1 &
  pids="$pids $!"
  nginx -p "$pki" -c "$pki/nginx.conf" -e stderr >"$out/nginx.log" 2>&1 &
  pids="$pids $!"
  sleep 1
  ca="--ca /etc/testca.pem"
  printf "%s\n" \
    "Run tlsprobe rsa.test 4431 $ca -n 3 --get /" \
    "Run tlsprobe ecdsa.test 4432 $ca -n 2 --get /" \
    "Run tlsprobe rsa.test 4440 $ca --echo 2000000" \
    "Run tlsprobe rsa.test 4431 --name wrong.test $ca" \
    "Run tlsprobe unknown.test 4434 $ca" \
    "Run tlsprobe expired.test 4433 $ca" \
    "Run tlsprobe future.test 4437 $ca" \
    "Run tlsprobe old.test 4435 $ca" \
    "Run tlsprobe rsa.test 4436 $ca --get /" \
    "Run tlsprobe rsa.test 4431" \
    "Run tlsprobe rsa.test 4431 --insecure" \
    "Run tls rsa.test:4438 $ca --alpn h2,http/1.1 --twice" \
    "Run tls wrong.test:4431 $ca" \
    "Run tls silent.test:4439 $ca --timeout 700" \
    "Run tlsabuse rsa.test 4431 /etc/testca.pem" \
    "Mem" \
    "Run tlsprobe rsa.test 4431 $ca --no-close" \
    "Run tlsprobe rsa.test 4431 $ca --no-close" \
    "Mem" \
    "Run tlsprobe rsa.test 4431 $ca --no-close" \
    "Run tlsprobe rsa.test 4431 $ca --no-close" \
    "Mem" \
    "Shutdown" |
    ./viperdos.qemu.sh --net tap=$NETNS_TAP_DEV --timeout 100 \
      --file "$pki/trusted.pem:/etc/testca.pem" --append "$(netns_tap_append 192.168.78)" \
      >"$out/guest.out" 2>&1 ||
    echo "guest run exited $?" >>"$out/guest.out"
  kill $pids 2>/dev/null || true
  wait 2>/dev/null || true
' _ "$tmp" "$pki" || fail "namespace setup failed"

show() {
  echo "--- guest"
  cat "$tmp/guest.out"
  for f in "$tmp"/s_server_*.log "$tmp/nginx.log" "$tmp/truncate.log" "$tmp/echo.log" \
    "$tmp/dnsmasq.log"; do
    echo "--- $f"
    cat "$f"
  done
}
g="$tmp/guest.out"
sed -i 's/\r//g' "$g"  # the serial console ends lines with CR LF
want() {
  grep -Eq -- "$1" "$g" || {
    show
    fail "$2 (no line matching: $1)"
  }
}
suite="TLS_(AES_128_GCM_SHA256|AES_256_GCM_SHA384|CHACHA20_POLY1305_SHA256)"

want "^conn 1: TLSv1.3 $suite X25519 resumed=no verify=ok" "RSA chain via s_server"
want "^subject: CN=rsa.test, O=ViperDOS Test$" "subject of the RSA leaf"
want "^issuer: CN=Test RSA Root, O=ViperDOS Test$" "issuer of the RSA leaf"
want "^valid: 20[0-9]{2}-[0-9]{2}-[0-9]{2} [0-9:]{8} UTC to 20[0-9]{2}-" "validity dates"
want "^conn 2: TLSv1.3 $suite X25519 resumed=yes verify=ok" "second connection resumed"
want "^conn 3: TLSv1.3 $suite X25519 resumed=yes verify=ok" "third connection resumed"
want "^response: HTTP/1.0 200 ok" "HTTP through s_server"
want "^received [0-9]+ bytes, close_notify" "clean close_notify from s_server"
echo "ok   RSA chain (s_server): verified, subject/issuer/dates, GET, 2nd and 3rd connection resumed"
want "^conn 1: TLSv1.3 $suite P-256 resumed=no verify=ok" "ECDSA chain over P-256 via nginx"
want "^subject: CN=ecdsa.test, O=ViperDOS Test$" "subject of the ECDSA leaf"
want "^conn 2: TLSv1.3 $suite P-256 resumed=yes verify=ok" "nginx second connection resumed"
want "^response: HTTP/1.1 200 OK" "HTTP through nginx"
echo "ok   ECDSA chain (nginx, TLS 1.3 only, P-256): verified, GET, resumed"
want "^echo: 2000000 bytes sent and received back identical" "2 MB through an echo server"
echo "ok   $(grep -E "^echo: " "$g")"
# The tls program (user/tls) prints one field per line; --twice connects again and resumes.
# Port 4438: no ticket cached yet for it (the cache is the kernel's, shared by all programs).
sed -n '/Run tls rsa.test/,/exited/p' "$g" >"$tmp/tls_twice.out"
for l in "^connection: 1$" "^protocol: TLSv1.3$" "^cipher: $suite$" "^group: X25519$" \
  "^resumed: no$" "^verify: ok$" "^subject: CN=rsa.test, O=ViperDOS Test$" \
  "^issuer: CN=Test RSA Root, O=ViperDOS Test$" "^alpn: http/1.1$" "^connection: 2$" \
  "^resumed: yes$" \
  "^handshake: [0-9]+\.[0-9] ms$"; do
  grep -Eq -- "$l" "$tmp/tls_twice.out" || { show; fail "Run tls --twice: no line matching $l"; }
done
echo "ok   Run tls rsa.test:4438 --ca … --twice: fields, verified, second connection resumed"
want "^tlsprobe: certificate name mismatch: wanted wrong.test, certificate is for rsa.test$" \
  "wrong host name"
want "^tlsprobe: certificate verify failed: unknown CA \(issuer CN=Somebody Else\)$" "unknown CA"
want "^tlsprobe: certificate has expired \(not after 2021-01-01 00:00:00 UTC\)$" \
  "expired certificate"
want "^tlsprobe: certificate is not yet valid \(not before 2099-01-01 00:00:00 UTC\)$" \
  "not yet valid certificate"
want "^tlsprobe: server does not support TLS 1.3$" "TLS 1.2-only server"
want "^tlsprobe: recv after [0-9]+ bytes: connection closed without close_notify \(truncated\)$" \
  "truncation"
want "^tlsprobe: certificate verify failed: unknown CA \(issuer CN=Test RSA Root, O=ViperDOS Test\)$" \
  "built-in roots must not trust the test CA"
want "^conn 1: TLSv1.3 $suite X25519 resumed=no verify=failed" "--insecure connects, reports failure"
want "^tls: certificate name mismatch: wanted wrong.test, certificate is for rsa.test$" \
  "the tls program: wrong host"
want "^tls: timed out$" "a server that never answers: the handshake times out"
[ "$(grep -c "exited with status 1" "$g")" -eq 9 ] || { show; fail "expected 9 failing runs"; }
echo "ok   wrong host, unknown CA, expired, not yet valid, TLS 1.2 only, truncation, no --ca," \
  "silent server (timeout): each its own error"
want "ViperDOS: power off" "guest did not shut down"
want "^tlsabuse: [0-9]+ checks, 0 failed; exiting with 16 sessions open$" \
  "bad input to SYS_TLS_* (tlsabuse)"
echo "ok   bad pointers, lengths, handles, configurations: each refused with its error;" \
  "16 sessions, the 17th -EMFILE ($(grep -Eo "^tlsabuse: [0-9]+ checks" "$g"))"
# Programs that end with their session open: the kernel frees it (exit hook). Two more such runs
# after the first two (which fill the caches) must leave the heap where it was; a session that
# stayed would hold its wolfSSL object (tens of KB).
heap=($(grep -E "^Kernel heap: [0-9]+ used" "$g" | sed -E 's/^Kernel heap: ([0-9]+) used.*/\1/'))
[ "${#heap[@]}" -ge 3 ] || { show; fail "no Mem output"; }
n=${#heap[@]}
b=${heap[$((n - 2))]}
c=${heap[$((n - 1))]}
d=$((c > b ? c - b : b - c))
[ "$d" -lt 4096 ] || { show; fail "kernel heap grew by $d bytes over two runs ending with an open session"; }
[ "$(grep -c "^exiting with the session open" "$g")" -eq 4 ] || { show; fail "--no-close runs"; }
echo "ok   sessions left open at exit are freed (kernel heap $b -> $c bytes over two more runs)"

# ---------------------------------------------------------------- guest through slirp
unshare -n bash -c '
  set -e
  out=$1
  pki=$2
  ip link set lo up
  openssl s_server -accept 127.0.0.1:4443 -cert "$pki/slirp.pem" -key "$pki/slirp.key" -www \
    -quiet -tls1_3 </dev/null >"$out/s_server_slirp.log" 2>&1 &
  srv=$!
  sleep 1
  printf "%s\n" "Run tlsprobe 10.0.2.100 443 --name slirp.test --ca /etc/testca.pem -n 2 --get /" \
    "Shutdown" |
    ./viperdos.qemu.sh --net user --timeout 60 --file "$pki/trusted.pem:/etc/testca.pem" \
      --fwd "guest:tcp:10.0.2.100:443-cmd:socat - TCP:127.0.0.1:4443" >"$out/slirp.out" 2>&1 ||
    echo "guest run exited $?" >>"$out/slirp.out"
  kill $srv 2>/dev/null || true
  wait 2>/dev/null || true
' _ "$tmp" "$pki" || fail "namespace setup failed (slirp)"
g="$tmp/slirp.out"
sed -i 's/\r//g' "$g"
show() {
  echo "--- guest"
  cat "$g"
  cat "$tmp/s_server_slirp.log"
}
want "^conn 1: TLSv1.3 $suite X25519 resumed=no verify=ok" "slirp: full handshake"
want "^subject: CN=slirp.test, O=ViperDOS Test$" "slirp: subject"
want "^conn 2: TLSv1.3 $suite X25519 resumed=yes verify=ok" "slirp: resumed"
want "^received [0-9]+ bytes, close_notify" "slirp: GET"
want "ViperDOS: power off" "slirp: guest did not shut down"
echo "ok   through slirp (guestfwd to s_server on loopback): verified, resumed, GET"
