#!/bin/sh
# TCP throughput benchmark: vnet (our stack on a TAP device) against Linux, lwIP (Debian's
# liblwip-dev, bench/lwip/lwip_tap) on the same TAP path, and Linux against Linux over a veth pair,
# clean and under 2% random loss. Prints a Markdown section and (under
# `bazel run`, unless --no-write) replaces the section "## TCP bulk throughput (bench/tcp)" in
# $BUILD_WORKSPACE_DIRECTORY/BENCHMARKS.md.
#
# Usage: bazel run //bench:tcp -- [--mb N] [--loss-mb N] [--lwip-loss-mb N] [--lwip-runs N]
#                                 [--no-write]
#   --mb N            bulk size in MB (10^6 bytes), default 200
#   --loss-mb N       echo size under loss in MB, default 20
#   --lwip-loss-mb N  lwIP's echo size under loss in MB, default 2 (about 0.2-0.5 MB/s here, its
#                     loss recovery waiting on 500 ms timer ticks: 20 MB would take minutes)
#   --lwip-runs N     lwIP bulk transfers per row, the best one reported, default 3
#   --no-write        print only; leave BENCHMARKS.md alone
# Needs root: everything runs in private network namespaces made here (unshare -n); no traffic
# leaves them. This is a measurement, not a test: nothing is asserted about the numbers, but a
# transfer that fails or moves the wrong byte count stops the run with an error.
set -eu
export PATH="$PATH:/usr/sbin:/sbin"

MB=200
LOSS_MB=20
LWIP_LOSS_MB=2
LWIP_RUNS=3
WRITE=1
# Parsed in a function so the script's own "$@" survives for the re-exec below.
parse_args() {
  while [ $# -gt 0 ]; do
    case "$1" in
      --mb | --loss-mb | --lwip-loss-mb | --lwip-runs)
        [ $# -ge 2 ] || { echo "bench/tcp: $1 needs a value" >&2; exit 2; }
        case "$2" in '' | *[!0-9]*) echo "bench/tcp: bad $1 $2 (whole MB)" >&2; exit 2 ;; esac
        [ "$2" -ge 1 ] && [ "$2" -le 100000 ] || { echo "bench/tcp: $1 out of range 1..100000" >&2; exit 2; }
        case "$1" in
          --mb) MB=$2 ;;
          --loss-mb) LOSS_MB=$2 ;;
          --lwip-loss-mb) LWIP_LOSS_MB=$2 ;;
          *) LWIP_RUNS=$2 ;;
        esac
        shift 2 ;;
      --no-write) WRITE=0; shift ;;
      -h | --help) sed -n '2,18p' "$0"; exit 0 ;;
      *) echo "bench/tcp: unknown option $1" >&2; exit 2 ;;
    esac
  done
}
ARGS="$*"
parse_args "$@"

# Resolve data files to absolute paths before re-executing in a namespace.
if [ -z "${BENCH_IN_NETNS:-}" ]; then
  here=$(cd "$(dirname "$0")" && pwd)
  for d in "${RUNFILES_DIR:-/nonexistent}/viperdos" "$0.runfiles/viperdos" "$PWD" "$here/.."; do
    if [ -x "$d/tools/vnet/vnet" ] && [ -x "$d/bench/lwip/lwip_tap" ] &&
      [ -x "$d/bench/lwip/lwip_tap_wnd512k" ] && [ -f "$d/bench/tcp_peer.py" ]; then
      BENCH_VNET="$d/tools/vnet/vnet"
      BENCH_LWIP="$d/bench/lwip/lwip_tap"
      BENCH_LWIP_BIG="$d/bench/lwip/lwip_tap_wnd512k"
      BENCH_PEER="$d/bench/tcp_peer.py"
      break
    fi
  done
  [ -n "${BENCH_VNET:-}" ] || { echo "bench/tcp: cannot find tools/vnet/vnet and bench/lwip/lwip_tap (use bazel run //bench:tcp)" >&2; exit 2; }
  [ "$(id -u)" = 0 ] || { echo "bench/tcp: needs root (unshare -n, TAP, veth, nftables)" >&2; exit 2; }
  export BENCH_VNET BENCH_LWIP BENCH_LWIP_BIG BENCH_PEER BENCH_IN_NETNS=1 BENCH_ARGS="$ARGS"
  exec unshare -n sh "$0" "$@"
fi

for tool in ip nft nsenter /usr/bin/python3 awk; do
  command -v "$tool" >/dev/null 2>&1 || { echo "bench/tcp: missing $tool" >&2; exit 2; }
done

VNET=$BENCH_VNET
# Which lwIP lwip_up and the lwIP rows run: the packaged library, or the 512 KB-window build.
LWIP=$BENCH_LWIP
PY="/usr/bin/python3 $BENCH_PEER"
TMP=$(mktemp -d)
N=$((MB * 1000000))
NL=$((LOSS_MB * 1000000))
NLW=$((LWIP_LOSS_MB * 1000000))
LINUX_IP=10.9.0.1
VNET_IP=10.9.0.2
VNET_MAC=02:00:00:00:00:02
A_IP=10.10.0.1
B_IP=10.10.0.2
PIDS=""
ROWS="$TMP/rows.md"
: >"$ROWS"

cleanup() {
  for p in $PIDS; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$TMP"
}
trap cleanup EXIT

die() {
  echo "bench/tcp: $*" >&2
  exit 1
}

# row WHAT MBPS HOW
row() {
  printf '| %s | %s | %s |\n' "$1" "$2" "$3" >>"$ROWS"
  printf '%-48s %12s  (%s)\n' "$1" "$2" "$3"
}

# mbps BYTES SECONDS
mbps() { awk -v b="$1" -v s="$2" 'BEGIN { if (s > 0) printf "%.1f MB/s", b / 1e6 / s; else print "?" }'; }

# wait_for FILE PATTERN WHAT: poll up to 10 s.
wait_for() {
  i=0
  until grep -q -- "$2" "$1" 2>/dev/null; do
    i=$((i + 1))
    [ $i -lt 100 ] || { cat "$1" >&2 || true; die "timed out waiting for $3"; }
    sleep 0.1
  done
}

# check_count LINE BYTES WHAT: the peer must report exactly BYTES.
check_count() {
  [ "$(echo "$1" | awk '{ print $1 }')" = "$2" ] || die "$3: got '$1', want $2 bytes"
}

# ---------------------------------------------------------------- namespace A: TAP for vnet
ip link set lo up
ip tuntap add dev tap0 mode tap
ip addr add "$LINUX_IP/24" dev tap0
ip link set tap0 up
sysctl -qw net.ipv6.conf.tap0.disable_ipv6=1 2>/dev/null || true

# stack_up BIN ARGS...: starts BIN (vnet or lwip_tap: same flags) serving on the TAP device and
# waits until it answers ping. lwIP takes vnet's place on the same TAP device, address and MAC
# (one at a time), so both stacks see the same path and the same Linux neighbour entry.
stack_up() {
  local bin=$1
  shift
  : >"$TMP/serve.out"
  "$bin" --tap tap0 --ip "$VNET_IP/24" --mac "$VNET_MAC" serve "$@" >"$TMP/serve.out" \
    2>"$TMP/serve.err" &
  SERVE_PID=$!
  PIDS="$PIDS $SERVE_PID"
  i=0
  until ping -c 1 -W 1 "$VNET_IP" >/dev/null 2>&1; do
    i=$((i + 1))
    [ $i -lt 10 ] || { cat "$TMP/serve.err" >&2; die "$(basename "$bin") serve did not answer ping"; }
  done
}
vnet_up() { stack_up "$VNET" "$@"; }
lwip_up() { stack_up "$LWIP" "$@"; }

stack_down() {
  kill -TERM "$SERVE_PID" 2>/dev/null || true
  wait "$SERVE_PID" 2>/dev/null || true
}

# best R...: the largest of the rates given (plain numbers).
best() { printf '%s\n' "$@" | sort -g | tail -n 1; }
# list R...: "a, b, c".
list() { echo "$*" | sed 's/ /, /g'; }

# ---------------------------------------------------------------- namespace B: veth peer
# A second private namespace held open by a sleeping child; no named netns (no global state).
unshare -n sleep 100000 &
B_PID=$!
PIDS="$PIDS $B_PID"
i=0
while [ "$(readlink /proc/$B_PID/ns/net 2>/dev/null)" = "$(readlink /proc/$$/ns/net)" ] ||
  [ -z "$(readlink /proc/$B_PID/ns/net 2>/dev/null)" ]; do
  i=$((i + 1))
  [ $i -lt 100 ] || die "second namespace did not appear"
  sleep 0.05
done
inb() { nsenter -t "$B_PID" -n "$@"; }
ip link add vA type veth peer name vB
ip link set vB netns "$B_PID"
ip addr add "$A_IP/24" dev vA
ip link set vA up
inb ip link set lo up
inb ip addr add "$B_IP/24" dev vB
inb ip link set vB up

echo "bench/tcp: bulk $MB MB, echo under loss $LOSS_MB MB (lwIP $LWIP_LOSS_MB MB) ($(date -u '+%Y-%m-%d %H:%M UTC'))"

# ---------------------------------------------------------------- 1. vnet over TAP
vnet_up --discard 9
out=$(timeout 300 $PY send "$VNET_IP" 9 "$N") || die "Linux -> vnet send failed"
check_count "$out" "$N" "Linux -> vnet"
wait_for "$TMP/serve.out" "^discard " "vnet's discard line"
line=$(grep "^discard " "$TMP/serve.out")
echo "$line" | grep -q " $N bytes " || die "vnet discard: $line"
vrate=$(echo "$line" | awk '{ print $7, $8 }')
row "Linux → vnet over TAP, $MB MB" "$vrate" "python sender → \`vnet serve --discard\`; vnet's own timing (first to last byte); sender wall $(mbps $out)"
stack_down

$PY sink 5000 >"$TMP/sink.out" 2>&1 &
SINK=$!
PIDS="$PIDS $SINK"
wait_for "$TMP/sink.out" listening "Linux sink"
out=$(timeout 300 "$VNET" --tap tap0 --ip "$VNET_IP/24" --mac "$VNET_MAC" send "$LINUX_IP" 5000 "$N") ||
  die "vnet send failed: $out"
echo "$out" | grep -Eq "^sent $N bytes " || die "vnet send: $out"
wait "$SINK" || die "Linux sink failed"
sink=$(tail -n 1 "$TMP/sink.out")
check_count "$sink" "$N" "vnet -> Linux"
row "vnet → Linux over TAP, $MB MB" "$(echo "$out" | awk '{ print $6, $7 }')" "\`vnet send\` → python sink; vnet's timing (connect to peer's close); sink wall $(mbps $sink)"

# ---------------------------------------------------------------- 1b. lwIP over the same TAP
# lwIP's discard skips SHA-256 (--no-hash) although vnet's hashes every byte: wolfCrypt's portable
# SHA-256 alone would cap lwIP near 40 MB/s here, so this gives lwIP the easier job on purpose.
# lwip_bulk NAME: both directions with the lwIP in $LWIP, rows labelled NAME.
lwip_bulk() {
  rx=""
  tx=""
  run=1
  while [ $run -le "$LWIP_RUNS" ]; do
    lwip_up --discard 9 --no-hash
    out=$(timeout 300 $PY send "$VNET_IP" 9 "$N") || die "Linux -> $1 send failed"
    check_count "$out" "$N" "Linux -> $1"
    wait_for "$TMP/serve.out" "^discard " "$1's discard line"
    line=$(grep "^discard " "$TMP/serve.out")
    echo "$line" | grep -q " $N bytes " || die "$1 discard: $line"
    rx="$rx $(echo "$line" | awk '{ print $7 }')"
    stack_down

    $PY sink 5000 >"$TMP/sink.out" 2>&1 &
    SINK=$!
    PIDS="$PIDS $SINK"
    wait_for "$TMP/sink.out" listening "Linux sink"
    out=$(timeout 300 "$LWIP" --tap tap0 --ip "$VNET_IP/24" --mac "$VNET_MAC" send "$LINUX_IP" 5000 "$N") ||
      die "$(basename "$LWIP") send failed: $out"
    echo "$out" | grep -Eq "^sent $N bytes " || die "$(basename "$LWIP") send: $out"
    wait "$SINK" || die "Linux sink failed"
    sink=$(tail -n 1 "$TMP/sink.out")
    check_count "$sink" "$N" "$1 -> Linux"
    tx="$tx $(echo "$out" | awk '{ print $6 }')"
    run=$((run + 1))
  done
  # shellcheck disable=SC2086 # word splitting of the rate lists is intended
  row "Linux → $1 over TAP, $MB MB" "$(best $rx) MB/s" "python sender → \`$(basename "$LWIP") serve --discard --no-hash\` (no SHA-256: less work per byte than vnet's discard); lwIP side's timing (accept to EOF); best of $LWIP_RUNS runs: $(list $rx) MB/s"
  # shellcheck disable=SC2086
  row "$1 → Linux over TAP, $MB MB" "$(best $tx) MB/s" "\`$(basename "$LWIP") send\` → python sink; lwIP side's timing (connect to peer's close); best of $LWIP_RUNS runs: $(list $tx) MB/s"
}

LWIP=$BENCH_LWIP
lwip_bulk "lwIP (Debian's liblwip0, 64 KB windows)"
LWIP=$BENCH_LWIP_BIG
lwip_bulk "lwIP (same, built with 512 KB windows)"

# ---------------------------------------------------------------- memory per idle connection
# IDLE connections from Linux to vnet's discard service, each having moved a little data, then
# idle: vnet's exit statistics give the connection slot size and the buffer bytes still held.
IDLE=1000
vnet_up --discard 9 --stats
/usr/bin/python3 -c '
import socket, sys, time
conns = []
for _ in range(int(sys.argv[2])):
    s = socket.create_connection((sys.argv[1], 9))
    s.sendall(b"x" * 1000)
    conns.append(s)
print("ready", flush=True)
time.sleep(300)
' "$VNET_IP" "$IDLE" >"$TMP/idle.out" 2>&1 &
IDLE_PID=$!
PIDS="$PIDS $IDLE_PID"
i=0
until grep -q ready "$TMP/idle.out" 2>/dev/null; do
  i=$((i + 1))
  [ $i -lt 600 ] || { cat "$TMP/idle.out" >&2; die "idle connections did not open"; }
  sleep 0.1
done
sleep 3
stack_down
kill "$IDLE_PID" 2>/dev/null || true
# (The last value: the stack's own counters come first and may reuse a name.)
statval() { awk -v k="$1" '$1 == k { v = $2 } END { print v }' "$TMP/serve.out"; }
conns=$(($(statval tcp_conns) - 1)) # minus the listener
slot=$(statval tcp_conn_slot_bytes)
bufs=$(statval tcp_buffer_bytes)
# (A connection whose handshake ACK met a full accept queue is only completed by Linux's
# retransmission: on a loaded machine a few may still be missing; the row counts what is there.)
[ "$conns" -gt 0 ] || die "vnet held no connections"
per=$(awk -v s="$slot" -v b="$bufs" -v n="$conns" 'BEGIN { printf "%d", s + b / n }')
row "Memory per idle established TCP connection (vnet)" "$per bytes" "$IDLE idle connections from Linux to \`vnet serve --discard\` after 1000 bytes each: connection slot $slot bytes (sizeof, from a table allocated up front) + $bufs buffer bytes held by all $conns established at exit; send/receive buffers are taken only while data is queued"

# ---------------------------------------------------------------- 2. Linux <-> Linux over veth
veth_bulk() {
  label=$1
  inb $PY sink 5000 >"$TMP/sink.out" 2>&1 &
  SINK=$!
  PIDS="$PIDS $SINK"
  wait_for "$TMP/sink.out" listening "Linux sink (veth)"
  out=$(timeout 300 $PY send "$B_IP" 5000 "$N") || die "veth send failed"
  check_count "$out" "$N" "veth $label"
  wait "$SINK" || die "veth sink failed"
  row "Linux → Linux over veth, $label, $MB MB" "$(mbps $out)" "same python sender → python sink in a second namespace; sender wall time to the sink's close"
}

veth_bulk "offloads on"
if command -v ethtool >/dev/null 2>&1; then
  for f in tso gso gro tx rx sg; do
    ethtool -K vA "$f" off >/dev/null 2>&1 || true
    inb ethtool -K vB "$f" off >/dev/null 2>&1 || true
  done
  veth_bulk "offloads off (ethtool -K tso gso gro tx rx sg off)"
  # Back to the defaults for the loss run below (the usual configuration).
  for f in tso gso gro tx rx sg; do
    ethtool -K vA "$f" on >/dev/null 2>&1 || true
    inb ethtool -K vB "$f" on >/dev/null 2>&1 || true
  done
else
  echo "bench/tcp: ethtool not installed (Debian package ethtool): offloads-off row skipped"
  printf '| Linux → Linux over veth, offloads off | not measured | ethtool not installed (Debian package `ethtool`) |\n' >>"$ROWS"
fi

# ---------------------------------------------------------------- 3. echo under 2% loss both ways
nft add table inet bench
nft add chain inet bench in '{ type filter hook input priority 0; }'
nft add chain inet bench out '{ type filter hook output priority 0; }'
loss_on() {
  nft flush chain inet bench in
  nft flush chain inet bench out
  nft add rule inet bench in ip saddr "$1" numgen random mod 100 '<' 2 drop
  nft add rule inet bench out ip daddr "$1" numgen random mod 100 '<' 2 drop
}

loss_on "$VNET_IP"
vnet_up --echo 7
out=$(timeout 300 $PY echo-client "$VNET_IP" 7 "$NL") || die "echo through vnet under loss failed"
check_count "$out" "$NL" "vnet echo"
row "Echo via vnet over TAP, 2% loss both ways, $LOSS_MB MB" "$(mbps $out)" "python echo client → \`vnet serve --echo\`; nftables \`numgen random mod 100 < 2 drop\` in and out; bytes echoed / wall time"
stack_down

# lwip_echo NAME: echo under loss through the lwIP in $LWIP.
lwip_echo() {
  lwip_up --echo 7
  out=$(timeout 300 $PY echo-client "$VNET_IP" 7 "$NLW") || die "echo through $1 under loss failed"
  check_count "$out" "$NLW" "$1 echo"
  row "Echo via $1 over TAP, 2% loss both ways, $LWIP_LOSS_MB MB" "$(mbps $out)" "same python echo client → \`$(basename "$LWIP") serve --echo\`; same nftables rules (smaller transfer: see --lwip-loss-mb)"
  stack_down
}

LWIP=$BENCH_LWIP
lwip_echo "lwIP (64 KB windows)"
LWIP=$BENCH_LWIP_BIG
lwip_echo "lwIP (512 KB windows)"

loss_on "$B_IP"
inb $PY echo-server 7 >"$TMP/echo.out" 2>&1 &
ECHO=$!
PIDS="$PIDS $ECHO"
wait_for "$TMP/echo.out" listening "Linux echo server"
out=$(timeout 300 $PY echo-client "$B_IP" 7 "$NL") || die "echo over veth under loss failed"
check_count "$out" "$NL" "veth echo"
wait "$ECHO" || true
row "Echo Linux ↔ Linux over veth (offloads on), 2% loss both ways, $LOSS_MB MB" "$(mbps $out)" "same python echo client → python echo server; same nftables rules"


# ---------------------------------------------------------------- report
SECTION="$TMP/section.md"
{
  echo "## TCP bulk throughput (bench/tcp)"
  echo
  echo "Command: \`bazel run //bench:tcp${BENCH_ARGS:+ -- $BENCH_ARGS}\`, run $(date -u '+%Y-%m-%d %H:%M UTC'),"
  echo "$(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg) at the end. vnet is the host build"
  echo "(\`//tools/vnet\`, fastbuild; its SHA-256 is built -O2 and uses SHA-NI where the CPU has it)"
  echo "on a TAP device; Linux peers are one Python program"
  echo "(\`bench/tcp_peer.py\`, 256 KiB socket calls). Everything runs in private network namespaces"
  echo "(\`unshare -n\`); MB = 10^6 bytes. Single runs, not averages: expect run-to-run spread (other"
  echo "work on the same 2 cores included). The Python peers and the shared CPUs cap the Linux ↔ Linux"
  echo "rows: read them as lower bounds of what the kernel alone does, not as its limit."
  echo
  echo "lwIP runs twice, both times as lwIP 2.1.3 with Debian's patches and Debian's lwipopts.h"
  echo "(NO_SYS=0 with its pthreads port, TCP_MSS 1460, window scaling, no SACK): (1) Debian's"
  echo "liblwip-dev/liblwip0 exactly as packaged, 64 KB receive window and send buffer"
  echo "(\`//bench/lwip:lwip_tap\`); (2) the same source (\`apt-get source lwip\`, orig tarball pinned)"
  echo "built here with 512 KB window and send buffer, the sizes vnet uses"
  echo "(\`//bench/lwip:lwip_tap_wnd512k\`, \`third_party/lwip/wnd512k.patch\`), so that lwIP's window"
  echo "is never what limits it when other work on the machine stretches the round trip. (1) is the"
  echo "lwIP the issue quotes; under this machine's noise neither build is consistently ahead, so read"
  echo "the better of the two rows in each direction as lwIP's number. The"
  echo "program around lwIP is ours (\`bench/lwip/lwip_tap.c\`): a TAP netif whose receive thread"
  echo "feeds \`ethernet_input\` under lwIP's core lock (PBUF_RAM buffers: the packaged PBUF_POOL"
  echo "elements are too small for 1514-byte frames) and raw-API services with vnet's output format,"
  echo "on vnet's TAP device, address and MAC. lwIP has no checksum or segmentation offload, so its"
  echo "driver switches the TAP's offloads off (\`TUNSETOFFLOAD 0\`); vnet's driver uses what it"
  echo "negotiates through the virtio-net header. lwIP's echo under loss moves less data"
  echo "(--lwip-loss-mb) because it is so much slower; its rate is still bytes echoed / wall time."
  echo "Each lwIP bulk row is the best of --lwip-runs transfers (vnet's rows are single runs): on a"
  echo "shared machine the noise only ever slows a run down, and lwIP gets the benefit of the doubt."
  echo
  echo "| What | Rate | How |"
  echo "|------|------|-----|"
  cat "$ROWS"
} >"$SECTION"
echo
cat "$SECTION"

if [ "$WRITE" = 1 ] && [ -n "${BUILD_WORKSPACE_DIRECTORY:-}" ]; then
  doc="$BUILD_WORKSPACE_DIRECTORY/BENCHMARKS.md"
  [ -f "$doc" ] || die "no $doc"
  # Drop an earlier copy of this section (up to the next "## " heading), then append ours.
  awk '/^## TCP bulk throughput \(bench\/tcp\)/ { skip = 1; next }
       skip && /^## / { skip = 0 }
       !skip { print }' "$doc" >"$TMP/doc.md"
  # Exactly one blank line between the previous text and the section.
  awk '{ lines[NR] = $0 } END { n = NR; while (n > 0 && lines[n] == "") n--; for (i = 1; i <= n; i++) print lines[i] }' \
    "$TMP/doc.md" >"$TMP/doc2.md"
  { cat "$TMP/doc2.md"; echo; cat "$SECTION"; } >"$doc"
  echo "bench/tcp: wrote the section to $doc"
fi
