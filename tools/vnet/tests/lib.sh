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
LINUX_IP=10.9.0.1
VNET_IP=10.9.0.2
VNET_MAC=02:00:00:00:00:02
PIDS=""

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

cleanup() {
  for p in $PIDS; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT

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

stop_vnet_serve() {
  kill -TERM "$SERVE_PID"
  wait "$SERVE_PID" || fail "vnet serve exited with status $?"
}

# expect_grep PATTERN FILE
expect_grep() {
  grep -q -- "$1" "$2" || { echo "--- $2:" >&2; cat "$2" >&2; fail "expected '$1' in $2"; }
}
