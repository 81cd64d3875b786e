#!/usr/bin/env bash
# Bulk TLS 1.3 download throughput, host build: libtls (tls_bench, wolfSSL as configured for
# ViperDOS) vs `openssl s_client`, both fetching the same file from the same nginx (TLS 1.3 only,
# one instance per cipher suite so both clients get the same one), over 127.0.0.1.
#
#   bazel run //user/libtls:bench            # prints the section and rewrites it in BENCHMARKS.md
#   BENCH_MB=64 BENCH_RUNS=1 bazel run //user/libtls:bench -- --no-write
#
# Reports the median of BENCH_RUNS runs per row; MB = 10^6 bytes; time includes TCP connect and
# the handshake (negligible next to the transfer).
set -euo pipefail

BENCH_MB="${BENCH_MB:-256}"
BENCH_RUNS="${BENCH_RUNS:-3}"
WRITE=1
[ "${1:-}" = "--no-write" ] && WRITE=0

here="$(cd "$(dirname "$0")" && pwd)"
TLS_BENCH="${TLS_BENCH:-$here/tls_bench}"
[ -x "$TLS_BENCH" ] || TLS_BENCH="$(find "$here" -name tls_bench -type f -perm -u+x | head -1)"
[ -x "$TLS_BENCH" ] || { echo "bench_tls: tls_bench not found" >&2; exit 2; }
NGINX=/usr/sbin/nginx
for tool in "$NGINX" openssl python3; do
  command -v "$tool" >/dev/null || { echo "bench_tls: $tool missing" >&2; exit 2; }
done

work="$(mktemp -d /tmp/bench_tls.XXXXXX)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }

# PKI: an ECDSA P-256 root and a leaf for localhost.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
  -keyout "$work/ca.key" -out "$work/ca.pem" -subj "/CN=bench root" \
  -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign 2>/dev/null
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$work/leaf.key" \
  -out "$work/leaf.csr" -subj "/CN=localhost" 2>/dev/null
printf 'subjectAltName=DNS:localhost\nextendedKeyUsage=serverAuth\n' >"$work/leaf.ext"
openssl x509 -req -in "$work/leaf.csr" -CA "$work/ca.pem" -CAkey "$work/ca.key" \
  -CAcreateserial -days 2 -extfile "$work/leaf.ext" -out "$work/leaf.pem" 2>/dev/null

mkdir -p "$work/www" "$work/tmp"
# Incompressible content (openssl dies of SIGPIPE when head has enough: not an error).
{ openssl enc -aes-128-ctr -pass pass:bench -nosalt -pbkdf2 -in /dev/zero 2>/dev/null || true; } |
  head -c $((BENCH_MB * 1000000)) >"$work/www/big"

SUITES=(TLS_AES_128_GCM_SHA256 TLS_CHACHA20_POLY1305_SHA256 TLS_AES_256_GCM_SHA384)
declare -A PORT
for s in "${SUITES[@]}"; do
  PORT[$s]="$(free_port)"
  cat >"$work/nginx_$s.conf" <<CONF
daemon off;
master_process off;
$([ "$(id -u)" = 0 ] && echo "user root root;")
worker_processes 1;
pid $work/nginx_$s.pid;
error_log stderr warn;
events { worker_connections 16; }
http {
  access_log off;
  client_body_temp_path $work/tmp; proxy_temp_path $work/tmp; fastcgi_temp_path $work/tmp;
  uwsgi_temp_path $work/tmp; scgi_temp_path $work/tmp;
  sendfile off;
  server {
    listen 127.0.0.1:${PORT[$s]} ssl;
    ssl_protocols TLSv1.3;
    ssl_conf_command Ciphersuites $s;
    ssl_certificate $work/leaf.pem;
    ssl_certificate_key $work/leaf.key;
    root $work/www;
  }
}
CONF
  "$NGINX" -p "$work" -c "$work/nginx_$s.conf" -e stderr 2>>"$work/nginx.log" &
  pids+=($!)
done
sleep 1

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# Both clients must have received the whole file (plus HTTP headers) with the intended suite.
want_bytes=$((BENCH_MB * 1000000))

libtls_run() {
  local out
  out="$("$TLS_BENCH" localhost "$1" /big --ca "$work/ca.pem")"
  case "$out" in *"cipher=$2"*) ;; *) echo "bench_tls: libtls: wrong suite: $out" >&2; exit 1 ;; esac
  local bytes="${out#bytes=}"
  bytes="${bytes%% *}"
  [ "$bytes" -gt "$want_bytes" ] || { echo "bench_tls: libtls: short: $out" >&2; exit 1; }
  sed -n 's/.*mbps=\([0-9.]*\).*/\1/p' <<<"$out"
}

openssl_run() {
  local t0 t1 bytes
  t0=$(date +%s%N)
  bytes=$(printf 'GET /big HTTP/1.0\r\nHost: localhost\r\n\r\n' |
    openssl s_client -connect "127.0.0.1:$1" -servername localhost -CAfile "$work/ca.pem" \
      -verify_return_error -quiet 2>/dev/null | wc -c)
  t1=$(date +%s%N)
  [ "$bytes" -gt "$want_bytes" ] || { echo "bench_tls: s_client: short ($bytes bytes)" >&2; exit 1; }
  awk -v b="$bytes" -v ns=$((t1 - t0)) 'BEGIN { printf "%.1f\n", b / 1e6 / (ns / 1e9) }'
}

rows=""
for s in "${SUITES[@]}"; do
  l=$(for _ in $(seq "$BENCH_RUNS"); do libtls_run "${PORT[$s]}" "$s"; done | median)
  o=$(for _ in $(seq "$BENCH_RUNS"); do openssl_run "${PORT[$s]}"; done | median)
  rows+="| $s | $l MB/s | $o MB/s |"$'\n'
done

section="## TLS 1.3 bulk download, host build: libtls vs openssl s_client (libtls helper)

Command: \`bazel run //user/libtls:bench\` (user/libtls/bench_tls.sh), run $(date -u '+%Y-%m-%d %H:%M UTC'),
$(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg) at the end. Both clients fetch the same
${BENCH_MB} MB file over HTTP/1.0 from the same nginx $("$NGINX" -v 2>&1 | sed 's|.*/||') (TLS 1.3 only, one instance per
suite, ECDSA P-256 certificate, X25519) on 127.0.0.1; median of ${BENCH_RUNS} runs; MB = 10^6 bytes,
connect and handshake included. libtls is the host backend (\`tls_host.c\`, wolfSSL 5.5.4 with
ViperDOS's \`user_settings.h\`: portable C, no AES-NI/AVX assembly, 4-bit GHASH tables; fastbuild);
\`openssl s_client -quiet\` is Debian's OpenSSL $(openssl version | cut -d' ' -f2) (its assembly paths, AES-NI where the CPU has it) writing to a pipe
(\`wc -c\`): a diagnostic tool (select() loop, 16 KiB reads, every byte through a pipe), not a
bulk client, so read its column as a reference client, not as OpenSSL's cipher speed. The server (one nginx
worker) shares the same 2 CPUs with the client. Every run checks the byte count and the negotiated
suite. Shared machine: expect run-to-run spread.

| Cipher suite | libtls (tls_bench) | openssl s_client |
|---|---|---|
${rows}"

printf '%s\n' "$section"

if [ "$WRITE" = 1 ] && [ -n "${BUILD_WORKSPACE_DIRECTORY:-}" ]; then
  md="$BUILD_WORKSPACE_DIRECTORY/BENCHMARKS.md"
  python3 - "$md" "$section" <<'PY'
import sys
path, section = sys.argv[1], sys.argv[2].rstrip("\n")
begin, end = "<!-- BEGIN libtls bench -->", "<!-- END libtls bench -->"
text = open(path).read()
block = begin + "\n" + section + "\n" + end
if begin in text and end in text:
    text = text[: text.index(begin)] + block + text[text.index(end) + len(end):]
else:
    text = text.rstrip("\n") + "\n\n" + block + "\n"
open(path, "w").write(text)
PY
  echo "bench_tls: section written to $md" >&2
fi
