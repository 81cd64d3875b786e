# shellcheck shell=bash
# The Linux side of a guest-over-TAP test: a TAP device and dnsmasq in the private network
# namespace the test made for itself (`unshare -n`). Sourced, from the runfiles tree (the test's
# working directory):
#   . tests/lib/netns_tap.sh
# A test that enters its namespace through `unshare -n bash -c '...'` sources it again inside, as
# `. "$NETNS_TAP_LIB"` (functions do not cross into the new shell; exported variables do).
#
# Inside the namespace, with a /24 prefix NET (e.g. 192.168.77):
#   netns_tap_up NET DIR [DNSMASQ_OPTION...]   loopback up; TAP device $NETNS_TAP_DEV as NET.1;
#       dnsmasq answering on NET.1 with the given options (its names), its log DIR/dnsmasq.log;
#       returns once dnsmasq serves (non-zero, with the reason on stderr, if a step fails).
#       Sets NETNS_TAP_DNSMASQ_PID: the caller stops it with its other peers.
#   netns_tap_append NET   the guest's kernel command line for NET.2 with NET.1 as gateway and DNS
# Anywhere:
#   netns_tap_require [COMMAND...]   fails, saying which, if ip, dnsmasq or a COMMAND is missing

# ip and dnsmasq live in sbin, which the test environment's PATH lacks.
export PATH="$PATH:/usr/sbin:/sbin"
NETNS_TAP_LIB=$(realpath -s "${BASH_SOURCE[0]}")
export NETNS_TAP_LIB
# The device name QEMU attaches to (--net tap=vtap0); only this namespace has it.
NETNS_TAP_DEV=vtap0
# How long dnsmasq may take to start serving (tenths of a second).
NETNS_TAP_DNS_START_TENTHS=50

netns_tap_require() {
  local c
  for c in ip dnsmasq "$@"; do
    command -v "$c" >/dev/null || {
      echo "$c missing (see the PACKAGES list in bazelw)" >&2
      return 1
    }
  done
}

netns_tap_up() {
  local net=$1 dir=$2
  shift 2
  ip link set lo up &&
    ip tuntap add dev "$NETNS_TAP_DEV" mode tap &&
    ip addr add "$net.1/24" dev "$NETNS_TAP_DEV" &&
    ip link set "$NETNS_TAP_DEV" up || {
    echo "cannot set up the TAP device $NETNS_TAP_DEV as $net.1/24" >&2
    return 1
  }
  dnsmasq --no-daemon --no-resolv --no-hosts --bind-interfaces --listen-address="$net.1" "$@" \
    --pid-file="$dir/dnsmasq.pid" >"$dir/dnsmasq.log" 2>&1 &
  NETNS_TAP_DNSMASQ_PID=$!
  local i
  for ((i = 0; i < NETNS_TAP_DNS_START_TENTHS; i++)); do
    grep -q "dnsmasq: started" "$dir/dnsmasq.log" 2>/dev/null && return 0
    kill -0 "$NETNS_TAP_DNSMASQ_PID" 2>/dev/null || break
    sleep 0.1
  done
  echo "dnsmasq did not start on $net.1: $(cat "$dir/dnsmasq.log")" >&2
  kill "$NETNS_TAP_DNSMASQ_PID" 2>/dev/null
  return 1
}

netns_tap_append() {
  echo "ip=$1.2/24 gw=$1.1 dns=$1.1"
}
