# Shared helpers for vnet's integration tests against real Linux. Each test re-executes itself
# under `unshare -n`, so it owns a private network namespace: a TAP device tap0 with Linux at
# 10.9.0.1/24 and vnet at 10.9.0.2/24. Nothing leaks out of the namespace.

set -eu
# dnsmasq and friends live in sbin, which the test environment's PATH lacks.
export PATH="$PATH:/usr/sbin:/sbin"

if [ -z "${VNET_IN_NETNS:-}" ]; then
  export VNET_IN_NETNS=1
  exec unshare -n sh "$0" "$@"
fi

VNET="${TEST_SRCDIR:-$PWD}/${TEST_WORKSPACE:-viperdos}/tools/vnet/vnet"
[ -x "$VNET" ] || VNET="$PWD/tools/vnet/vnet"
TMP="${TEST_TMPDIR:-$(mktemp -d)}"
export HOME="$TMP"
# Under --config=asan / --config=ubsan vnet carries the sanitizer. Its reports go to files that the
# EXIT trap checks: a finding fails the test even where vnet is meant to fail (`if $VNET ...; then
# fail`), where its stderr is captured and grepped, and where it reports only at exit (leaks after
# SIGTERM). halt_on_error: the first finding ends vnet, so it cannot be lost in later noise.
# The symbolizer (clang's, from the toolchain) turns the reports' addresses into file:line.
SAN_LOG="$TMP/sanitizer"
rm -f "$SAN_LOG".*
SAN_OPTS="halt_on_error=1:log_path=$SAN_LOG"
[ ! -x /usr/lib/llvm-14/bin/llvm-symbolizer ] ||
  SAN_OPTS="$SAN_OPTS:external_symbolizer_path=/usr/lib/llvm-14/bin/llvm-symbolizer"
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}$SAN_OPTS:detect_leaks=1"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}$SAN_OPTS:print_stacktrace=1"
LINUX_IP=10.9.0.1
VNET_IP=10.9.0.2
VNET_MAC=02:00:00:00:00:02
# vnet as a one-shot client on the test's TAP device (word-split on purpose: `timeout 30 $VNETC`).
VNETC="$VNET --tap tap0 --ip $VNET_IP/24 --mac $VNET_MAC"
PY=/usr/bin/python3
PEER="$(dirname "$0")/tcp_peer.py"
PIDS=""

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# Stops what the test started (vnet exits cleanly on SIGTERM, so leak checks still run), then fails
# the test if any sanitizer wrote a report.
cleanup() {
  rc=$?
  for p in $PIDS; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  for f in "$SAN_LOG".*; do
    [ -e "$f" ] || continue
    echo "--- sanitizer report $f:" >&2
    cat "$f" >&2
    echo "FAIL: sanitizer report from vnet (above)" >&2
    rc=1
  done
  exit "$rc"
}
trap cleanup EXIT
# A test stopped from outside (Bazel's timeout sends SIGTERM) still runs cleanup and shows reports.
trap 'fail "stopped by a signal (test timeout?)"' INT TERM

setup_tap() {
  ip link set lo up
  ip tuntap add dev tap0 mode tap
  ip addr add "$LINUX_IP/24" dev tap0
  ip link set tap0 up
  # No IPv6 chatter (router solicitations etc.) on the test link.
  sysctl -qw net.ipv6.conf.tap0.disable_ipv6=1 2>/dev/null || true
}

# start_vnet ARGS... : vnet serve in the background; waits until Linux can ping it.
start_vnet_serve() {
  "$VNET" --tap tap0 --ip "$VNET_IP/24" --mac "$VNET_MAC" "$@" >"$TMP/serve.out" 2>"$TMP/serve.err" &
  SERVE_PID=$!
  PIDS="$PIDS $SERVE_PID"
  i=0
  until ping -c 1 -W 1 "$VNET_IP" >/dev/null 2>&1; do
    i=$((i + 1))
    [ $i -lt 10 ] || { cat "$TMP/serve.err" >&2; fail "vnet serve did not answer ping"; }
  done
}

# serve_alive: is vnet serve still running (not exited, not a zombie waiting to be reaped)?
serve_alive() {
  st=$(sed -n 's/^[0-9]* ([^)]*) \(.\).*/\1/p' "/proc/$SERVE_PID/stat" 2>/dev/null)
  [ -n "$st" ] && [ "$st" != Z ]
}

# while_serving CMD...: runs CMD (a transfer to or from vnet serve) and returns its status, but
# fails the test as soon as vnet serve exits meanwhile (e.g. stopped by a sanitizer report), instead
# of leaving CMD to hang until its timeout and the report unseen.
while_serving() {
  "$@" &
  cmd_pid=$!
  while kill -0 "$cmd_pid" 2>/dev/null; do
    if ! serve_alive; then
      # CMD's own children too (a pipeline under sh -c, or timeout's child).
      pkill -TERM -P "$cmd_pid" 2>/dev/null || true
      kill "$cmd_pid" 2>/dev/null || true
      wait "$SERVE_PID" || true
      fail "vnet serve exited during: $*"
    fi
    sleep 0.1
  done
  wait "$cmd_pid"
}

stop_vnet_serve() {
  kill -TERM "$SERVE_PID"
  wait "$SERVE_PID" || fail "vnet serve exited with status $?"
}

# expect_grep PATTERN FILE
expect_grep() {
  grep -q -- "$1" "$2" || { echo "--- $2:" >&2; cat "$2" >&2; fail "expected '$1' in $2"; }
}

# random_file BYTES FILE: BYTES from /dev/urandom into FILE; prints their sha256.
random_file() {
  head -c "$1" /dev/urandom >"$2"
  sha256sum <"$2" | cut -d' ' -f1
}

# pattern_sha BYTES: sha256 of the first BYTES of the test pattern (byte i = i % 251).
pattern_sha() {
  $PY "$PEER" pattern-sha "$1"
}

# serve_both_ways LABEL IN_FILE IN_SHA OUT_BYTES OUT_SHA WAIT_S
# vnet serves discard (9) and source (19, OUT_BYTES of the pattern). Linux sends IN_FILE to
# discard: vnet's discard line must name Linux's address, the file's size and IN_SHA (WAIT_S
# seconds for it to appear); then reads the source to its end: its sha256 must be OUT_SHA.
# Stops vnet serve, which must exit cleanly. LABEL starts every message.
serve_both_ways() {
  label=$1 in_file=$2 in_sha=$3 out_bytes=$4 out_sha=$5 wait_s=$6
  in_bytes=$(stat -c %s "$in_file")
  : >"$TMP/serve.out"
  start_vnet_serve serve --discard 9 --source "19:$out_bytes"
  while_serving timeout 300 socat -u "FILE:$in_file" "TCP:$VNET_IP:9" ||
    fail "$label: socat to discard"
  i=0
  until grep -q "^discard " "$TMP/serve.out"; do
    i=$((i + 1))
    [ $i -lt $((wait_s * 10)) ] || fail "$label: no discard line"
    serve_alive || fail "$label: vnet serve exited"
    sleep 0.1
  done
  line=$(grep "^discard " "$TMP/serve.out")
  echo "$label Linux -> vnet: $line"
  echo "$line" |
    grep -Eq "^discard $LINUX_IP:[0-9]+ $in_bytes bytes [0-9.]+ s [0-9.]+ MB/s sha256=$in_sha\$" ||
    fail "$label: discard line wrong: $line (want $in_bytes bytes sha256=$in_sha)"
  t0=$(date +%s.%N)
  # shellcheck disable=SC2016
  while_serving sh -c 'timeout 300 socat -u "TCP:$1:19" - | sha256sum >"$2"' sh "$VNET_IP" \
    "$TMP/source.sha"
  t1=$(date +%s.%N)
  got=$(cut -d' ' -f1 "$TMP/source.sha")
  [ "$got" = "$out_sha" ] || fail "$label: source sha256 $got, want $out_sha"
  echo "$label vnet -> Linux: $out_bytes bytes in $(echo "$t1 - $t0" | bc 2>/dev/null || echo '?') s, sha256 ok"
  stop_vnet_serve
}
