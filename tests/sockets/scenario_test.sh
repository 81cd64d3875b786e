#!/bin/bash
# Runs one socket scenario (see BUILD.bazel): SCENARIO GUEST_LAUNCHER ECHO_SERVER_HOST.
# The whole test runs in a private network namespace (re-executed under `unshare -n`): a TAP
# device 192.168.77.1/24 with dnsmasq for *.test names, or just loopback for the slirp cases.
# Peers are socat (echo through tee, sinks, senders); the test pattern is byte i = i % 251, as
# `connect -s` sends it. Both ends' byte counts and SHA-256 digests are compared.
set -u
. tests/lib/netns_tap.sh
scenario=$1
guest=$(realpath "$2")
echo_host=$(realpath "$3")
if [[ -z ${SOCKETS_TEST_NETNS:-} ]]; then
  exec unshare -n env SOCKETS_TEST_NETNS=1 bash "$0" "$@"
fi
tmp=$(mktemp -d "${TEST_TMPDIR:-/tmp}/sockets.XXXXXX")
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  wait 2>/dev/null
}
trap cleanup EXIT

fail() {
  echo "FAIL [$scenario]: $*"
  for f in "$tmp"/*.log "$tmp"/guest.out; do
    [[ -f $f ]] && { echo "--- $(basename "$f")"; tail -n 80 "$f"; }
  done
  exit 1
}
netns_tap_require socat ping sha256sum python3 || fail "a tool is missing (above)"

digest() { sha256sum "$1" | cut -d" " -f1; }
# The test pattern as a file; prints its digest.
pattern() { # BYTES FILE
  python3 -c 'import sys
n = int(sys.argv[1]); b = bytes(range(251)) * (n // 251 + 1)
open(sys.argv[2], "wb").write(b[:n])' "$1" "$2" && digest "$2"
}

# Waits until the guest printed TEXT (fixed string), up to SECONDS.
wait_guest() { # TEXT SECONDS
  for _ in $(seq $(($2 * 10))); do
    grep -qF -- "$1" "$tmp/guest.out" 2>/dev/null && return 0
    sleep 0.1
  done
  fail "guest never printed '$1'"
}

# The guest's line "connect: WHAT N bytes sha256 HEX ..." -> "N HEX" (the first such line).
guest_digest() { # sent|received
  grep -E "^connect: $1 [0-9]+ bytes sha256 [0-9a-f]{64}" "$tmp/guest.out" | head -n 1 |
    sed -E "s/^connect: $1 ([0-9]+) bytes sha256 ([0-9a-f]{64}).*/\1 \2/"
}

start_guest() {
  "$guest" --log "$tmp/serial.log" "$@" >"$tmp/guest.out" 2>&1 &
  guest_pid=$!
}

finish_guest() {
  wait $guest_pid
  local rc=$?
  [[ $rc -eq 0 ]] || fail "guest run failed (exit $rc): expected console lines missing"
  echo "ok   guest: every expected console line, clean power-off"
}

# The guests' address (TAP_APPEND in BUILD.bazel) is 192.168.77.2.
setup_tap() {
  netns_tap_up 192.168.77 "$tmp" --address=/peer.test/192.168.77.1 --local=/test/ ||
    fail "TAP device or dnsmasq setup failed"
  pids+=("$NETNS_TAP_DNSMASQ_PID")
}

check_bytes() { # WHAT FILE EXPECTED_DIGEST EXPECTED_BYTES
  [[ -f $2 ]] || fail "$1: nothing arrived"
  local n
  n=$(stat -c %s "$2")
  [[ $n -eq $4 ]] || fail "$1: $n bytes instead of $4"
  [[ $(digest "$2") == "$3" ]] || fail "$1: SHA-256 differs from the pattern's"
  echo "ok   $1: $n bytes, SHA-256 matches"
}

check_guest_digest() { # sent|received EXPECTED_DIGEST EXPECTED_BYTES
  local got
  got=$(guest_digest "$1")
  [[ $got == "$3 $2" ]] || fail "guest $1 '$got', expected '$3 $2'"
  echo "ok   guest $1 $3 bytes with the pattern's SHA-256"
}

# netstat's socket line: proto, queues, local, remote, state.
check_netstat() { # LOCAL_REGEX REMOTE_REGEX STATE
  tr -d '\r' <"$tmp/guest.out" | grep -Eq "^tcp +[0-9]+ +[0-9]+ +$1 +$2 +$3( |$)" ||
    fail "netstat: no tcp $1 -> $2 in $3"
  echo "ok   netstat: tcp $1 -> $2 $3"
}

# An echo service on ADDR:PORT for the guest's `connect -s BYTES` (what arrives is kept with tee
# and sent back; -t: after the guest's half-close, give the echo time to drain before socat
# closes), and the guest's whole run. Then what Linux received (WHAT) and what the guest sent and
# received must each be BYTES of the pattern.
guest_echo_run() { # ADDR PORT BYTES WHAT
  local want
  want=$(pattern "$3" "$tmp/pattern.bin")
  socat -t 30 TCP-LISTEN:"$2",bind="$1",reuseaddr EXEC:"tee $tmp/echo.bin" 2>"$tmp/socat.log" &
  pids+=($!)
  start_guest
  finish_guest
  check_bytes "$4" "$tmp/echo.bin" "$want" "$3"
  check_guest_digest sent "$want" "$3"
  check_guest_digest received "$want" "$3"
}

MB10=10485760
case $scenario in
  tap_ping_resolve)
    setup_tap
    start_guest
    wait_guest "Program 'connect' exited with status 1" 60
    ping -c 3 -i 0.2 192.168.77.2 >"$tmp/ping.log" 2>&1
    grep -q "3 packets transmitted, 3 received, 0% packet loss" "$tmp/ping.log" ||
      fail "Linux could not ping the guest"
    echo "ok   Linux pings the guest: $(grep rtt "$tmp/ping.log")"
    finish_guest
    grep -Eq "^rtt min/avg/max/mdev = [0-9.]+/[0-9.]+/[0-9.]+/[0-9.]+ ms" "$tmp/guest.out" ||
      fail "guest ping: no rtt summary"
    echo "ok   guest pings peer.test (name through getaddrinfo + dnsmasq)"
    ;;
  tap_libc)
    setup_tap
    socat TCP-LISTEN:7007,bind=192.168.77.1,reuseaddr,fork EXEC:cat 2>"$tmp/socat.log" &
    pids+=($!)
    python3 -c 'import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("192.168.77.1", 7008))
while True:
    d, a = s.recvfrom(2048)
    s.sendto(d, a)' 2>"$tmp/udp_echo.log" &
    pids+=($!)
    start_guest
    # The guest's echo_server (the same source as $echo_host, which serves the same client here
    # on Linux first, over loopback): two clients, 100000 bytes each, compared byte for byte.
    pattern 100000 "$tmp/pattern.bin" >/dev/null
    echo_client() { # HOST OUT
      python3 - "$1" "$tmp/pattern.bin" "$2" <<'PY'
import socket, sys
data = open(sys.argv[2], "rb").read()
s = socket.create_connection((sys.argv[1], 7009), timeout=30)
s.sendall(data)
s.shutdown(socket.SHUT_WR)
got = b""
while True:
    chunk = s.recv(65536)
    if not chunk:
        break
    got += chunk
open(sys.argv[3], "wb").write(got)
PY
    }
    "$echo_host" 7009 1 >"$tmp/echo_host.log" 2>&1 &
    for _ in $(seq 50); do grep -q listening "$tmp/echo_host.log" && break; sleep 0.1; done
    echo_client 127.0.0.1 "$tmp/host_echo.bin" || fail "host echo_server client failed"
    wait $! || fail "host echo_server failed: $(cat "$tmp/echo_host.log")"
    cmp -s "$tmp/pattern.bin" "$tmp/host_echo.bin" || fail "host echo_server: echo differs"
    echo "ok   echo_server.c built for Linux echoes 100000 bytes"
    wait_guest "echo_server: listening on port 7009" 90
    for i in 1 2; do
      echo_client 192.168.77.2 "$tmp/guest_echo$i.bin" || fail "client $i of the guest's echo_server"
      cmp -s "$tmp/pattern.bin" "$tmp/guest_echo$i.bin" || fail "guest echo_server: echo $i differs"
    done
    echo "ok   the same echo_server.c built for ViperDOS echoes 100000 bytes to two Linux clients"
    finish_guest
    grep -q "socktest: FAIL" "$tmp/guest.out" && fail "socktest reported failures"
    echo "ok   $(grep -a 'checks, 0 failures' "$tmp/guest.out" | tr -d '\r')"
    ;;
  tap_echo)
    setup_tap
    guest_echo_run 192.168.77.1 7007 $MB10 "Linux received from the guest"
    check_netstat "192\.168\.77\.2:[0-9]+" "192\.168\.77\.1:7007" ESTABLISHED
    grep -Eq "^	 rtt:[0-9]+\.[0-9]{3}/[0-9]+\.[0-9]{3} ms cwnd:[0-9]+ ssthresh:[0-9a-z]+ mss:[0-9]+ inflight:[0-9]+ retrans:[0-9]+" \
      "$tmp/guest.out" || fail "netstat: no rtt/cwnd line"
    echo "ok   netstat: $(grep -E '^	 rtt:' "$tmp/guest.out" | head -n 1 | tr -d '\t')"
    check_netstat "192\.168\.77\.2:[0-9]+" "192\.168\.77\.1:7007" "TIME_WAIT +-"
    grep -Eq "^tcp_active_opens [1-9]" "$tmp/guest.out" || fail "netstat -s: no active open counted"
    grep -Eq "^tcp_segs_out [1-9]" "$tmp/guest.out" || fail "netstat -s: no segments counted"
    echo "ok   netstat -s counted the connection"
    ;;
  tap_listen)
    setup_tap
    want=$(pattern $MB10 "$tmp/pattern.bin")
    start_guest
    wait_guest "connect: listening on 0.0.0.0:5001" 60
    socat -u OPEN:"$tmp/pattern.bin" TCP:192.168.77.2:5001 2>"$tmp/socat_in.log" ||
      fail "sending to the guest's listener failed"
    wait_guest "connect: listening on 0.0.0.0:5002" 120
    socat -u TCP:192.168.77.2:5002 CREATE:"$tmp/from_guest.bin" 2>"$tmp/socat_out.log" ||
      fail "receiving from the guest's listener failed"
    finish_guest
    check_guest_digest received "$want" $MB10
    check_bytes "Linux received from the guest's listener" "$tmp/from_guest.bin" "$want" $MB10
    check_guest_digest sent "$want" $MB10
    check_netstat "0\.0\.0\.0:5001" "0\.0\.0\.0:\*" LISTEN
    check_netstat "192\.168\.77\.2:5001" "192\.168\.77\.1:[0-9]+" ESTABLISHED
    grep -Eq "^tcp_passive_opens [2-9]" "$tmp/guest.out" || fail "netstat -s: passive opens"
    echo "ok   netstat -s counted both accepted connections"
    ;;
  tap_interactive)
    setup_tap
    start_guest
    wait_guest "connect: listening on 0.0.0.0:5003" 60
    python3 - >"$tmp/client.log" 2>&1 <<'PY' || fail "interactive exchange failed"
import socket, sys, time
s = socket.create_connection(("192.168.77.2", 5003), timeout=30)
s.sendall(b"hello from linux\n")
# The guest sends keys as the console delivers them: wait for the whole line, then half-close
# and read to the end, so nothing arrives after our close (Linux would answer it with a reset).
got = b""
deadline = time.monotonic() + 30
line = lambda: any(b"hello from guest" + t in got for t in (b"\r", b"\n"))
while not line() and time.monotonic() < deadline:
    data = s.recv(4096)
    if not data:
        break
    got += data
ok = line()
s.shutdown(socket.SHUT_WR)
while True:
    data = s.recv(4096)
    if not data:
        break
    got += data
print("linux got: %r" % got)
s.close()
sys.exit(0 if ok else 1)
PY
    echo "ok   Linux received the line typed on the guest console"
    finish_guest
    ;;
  slirp_guestfwd)
    ip link set lo up
    guest_echo_run 127.0.0.1 17007 1048576 "host service behind guestfwd received"
    ;;
  slirp_hostfwd)
    ip link set lo up
    want=$(pattern 1048576 "$tmp/pattern.bin")
    start_guest
    # slirp accepts on the host side even before the guest listens: connect only after.
    wait_guest "connect: listening on 0.0.0.0:5001" 60
    socat -u OPEN:"$tmp/pattern.bin" TCP:127.0.0.1:17008 2>"$tmp/socat.log" ||
      fail "host client through hostfwd failed"
    finish_guest
    check_guest_digest received "$want" 1048576
    ;;
  *)
    fail "unknown scenario"
    ;;
esac
echo "PASS [$scenario]"
