#!/usr/bin/env bash
# Remote-cache check (issue 2, item 9): proves that a clean rebuild is served from an HTTP cache.
#
# Starts a private nginx with WebDAV PUT on 127.0.0.1 (a free high port), builds TARGETS cold with
# --config=remote-cache in a separate, throw-away output base and without the disk cache, runs
# `bazel clean`, rebuilds, and fails unless at least MIN_PERCENT of the non-internal actions of the
# rebuild were remote cache hits. Then it checks that cache keys are salted by exec properties (as
# --config=remote-cache does with the compiler version): a small probe built with another salt
# value must get no hits at all.
#
# Usage: .ci/cache_check.sh [--min-percent N] [--quick | TARGET...]      (default: //..., 90 %)
#        --quick: //net/... //tools/... //tests/smoke/... //kernel/testing/... (those that exist)
# Env:   BAZEL (default: bazel) — e.g. BAZEL=./bazelw; CACHE_CHECK_KEEP=1 keeps the temp dir.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BAZEL="${BAZEL:-bazel}"
MIN_PERCENT=90
QUICK=0
PROBE=//tools/cache_probe:probe

while [ $# -gt 0 ]; do
  case "$1" in
    --min-percent)
      [ $# -ge 2 ] || { echo "cache_check: --min-percent needs a value" >&2; exit 2; }
      MIN_PERCENT="$2"
      shift 2
      ;;
    --quick) QUICK=1; shift ;;
    --) shift; break ;;
    -h|--help) sed -n '2,13p' "${BASH_SOURCE[0]}"; exit 0 ;;
    -*) echo "cache_check: unknown option $1" >&2; exit 2 ;;
    *) break ;;
  esac
done
case "$MIN_PERCENT" in
  ''|*[!0-9]*) echo "cache_check: --min-percent must be an integer 0..100" >&2; exit 2 ;;
esac
if [ "$MIN_PERCENT" -gt 100 ]; then
  echo "cache_check: --min-percent must be an integer 0..100" >&2
  exit 2
fi
TARGETS=("$@")
if [ "$QUICK" = 1 ]; then
  [ ${#TARGETS[@]} = 0 ] || { echo "cache_check: --quick takes no targets" >&2; exit 2; }
  # A representative subset: C and C++ (the network stack and its GoogleTest tests, with the
  # external GoogleTest repo), links, shell and Python tools, and aarch64 images built through a
  # Starlark transition (kernel/testing). Leaves out //crypto (wolfSSL) and //tests (full QEMU
  # kernel images). About 60 % of //...'s CPU time (measured 2026-11).
  for d in net tools tests/smoke kernel/testing; do
    if [ -d "$ROOT/$d" ]; then TARGETS+=("//$d/..."); fi
  done
fi
# Default //...: measured 2026-11 on 2 idle cores: 352 actions, cold build 121 s, whole check
# 130 s (on 2 cores shared with other builds: 15 min). If it grows past a few minutes, use --quick.
# "//..." would also walk the checkout's bazel-<dir> convenience symlinks, which point into the
# regular output base (not this check's private one), so Bazel does not recognise them as its own
# and tries to load them as packages. Name every top-level package tree of ours instead.
if [ ${#TARGETS[@]} -eq 0 ]; then
  TARGETS=(//:all)
  while IFS= read -r d; do
    TARGETS+=("//$d/...")
  done < <(git -C "$ROOT" ls-files '*BUILD.bazel' '*BUILD' | grep / | cut -d/ -f1 | sort -u)
fi

NGINX=/usr/sbin/nginx
[ -x "$NGINX" ] || { echo "cache_check: $NGINX not found (Debian package nginx-light)" >&2; exit 1; }

WORK="$(mktemp -d "${TMPDIR:-/tmp}/viperdos-cache-check.XXXXXX")"
OB="$WORK/output_base"
NGINX_PID=""

cleanup() {
  local rc=$?
  if [ -d "$OB" ]; then
    (cd "$ROOT" && "$BAZEL" --output_base="$OB" shutdown >/dev/null 2>&1) || true
  fi
  if [ -n "$NGINX_PID" ]; then
    kill "$NGINX_PID" 2>/dev/null || true
    wait "$NGINX_PID" 2>/dev/null || true
  fi
  if [ "${CACHE_CHECK_KEEP:-0}" = 1 ]; then
    echo "cache_check: kept $WORK"
  else
    chmod -R u+w "$WORK" 2>/dev/null || true
    rm -rf "$WORK"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- nginx: own prefix, foreground single process (we own its pid), WebDAV PUT, no body limit.
mkdir -p "$WORK/nginx/logs" "$WORK/nginx/tmp" "$WORK/nginx/store"

free_port() {
  /usr/bin/python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}

port_answers() {
  # bash's /dev/tcp: no curl needed. Any HTTP answer means nginx is up.
  (exec 3<>"/dev/tcp/127.0.0.1/$1" && printf 'GET /ping HTTP/1.0\r\n\r\n' >&3 &&
    head -c 12 <&3 | grep -q '^HTTP/') 2>/dev/null
}

start_nginx() {
  local port="$1"
  cat >"$WORK/nginx/nginx.conf" <<CONF
daemon off;
master_process off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/logs/error.log warn;
events { worker_connections 512; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx/tmp;
  proxy_temp_path $WORK/nginx/tmp;
  fastcgi_temp_path $WORK/nginx/tmp;
  uwsgi_temp_path $WORK/nginx/tmp;
  scgi_temp_path $WORK/nginx/tmp;
  server {
    listen 127.0.0.1:$port;
    root $WORK/nginx/store;
    # Bazel's HTTP cache protocol: GET/PUT /ac/<sha256> and /cas/<sha256>; 404 is a miss.
    # The default 1m body limit answers 413 and silently loses big blobs.
    client_max_body_size 0;
    location / {
      dav_methods PUT;
      create_full_put_path on;
      dav_access user:rw;
    }
  }
}
CONF
  "$NGINX" -e "$WORK/nginx/logs/error.log" -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" \
    </dev/null >>"$WORK/nginx/logs/stdout.log" 2>&1 &
  NGINX_PID=$!
  local i
  for i in $(seq 1 50); do
    if port_answers "$port"; then return 0; fi
    if ! kill -0 "$NGINX_PID" 2>/dev/null; then break; fi
    sleep 0.1
  done
  kill "$NGINX_PID" 2>/dev/null || true
  wait "$NGINX_PID" 2>/dev/null || true
  NGINX_PID=""
  return 1
}

PORT=""
for attempt in 1 2 3 4 5; do
  candidate="$(free_port)"
  if [ "$candidate" -ge 1024 ] && start_nginx "$candidate"; then
    PORT="$candidate"
    break
  fi
done
if [ -z "$PORT" ]; then
  echo "cache_check: could not start nginx; its log:" >&2
  cat "$WORK/nginx/logs/error.log" "$WORK/nginx/logs/stdout.log" >&2 2>/dev/null || true
  exit 1
fi
CACHE_URL="http://127.0.0.1:$PORT"
echo "cache_check: nginx WebDAV cache at $CACHE_URL (pid $NGINX_PID, store $WORK/nginx/store)"

# --- Bazel: separate output base, no disk cache, remote cache only.
bazel_ob() { (cd "$ROOT" && "$BAZEL" --output_base="$OB" "$@"); }
# --symlink_prefix=/: leave the checkout's bazel-* symlinks pointing at its regular output base.
BUILD_FLAGS=(--config=remote-cache "--remote_cache=$CACHE_URL" --disk_cache= --symlink_prefix=/
  --color=no --curses=no --noshow_progress)

# Prints "total internal hits" from the last "INFO: N processes: ..." line of a build log.
# 4.2.3 prints e.g. "INFO: 27 processes: 17 remote cache hit, 10 internal." (order varies; one
# process is "1 process"; other kinds are "linux-sandbox", "local", "worker", ...).
process_summary() {
  local line
  line="$(grep -E '^INFO: [0-9]+ process(es)?(:|\.)' "$1" | tail -n 1)"
  if [ -z "$line" ]; then
    echo "cache_check: no process summary in $1" >&2
    return 1
  fi
  /usr/bin/python3 - "$line" <<'PY'
import re, sys
line = sys.argv[1]
m = re.match(r"INFO: (\d+) process(?:es)?[:.]\s*(.*)$", line)
total = int(m.group(1))
kinds = {}
for part in m.group(2).rstrip(".").split(","):
    part = part.strip()
    if not part:
        continue
    k = re.match(r"(\d+) (.+)$", part)
    if not k:
        sys.exit("cache_check: cannot parse %r in %r" % (part, line))
    kinds[k.group(2)] = kinds.get(k.group(2), 0) + int(k.group(1))
if sum(kinds.values()) != total:
    sys.exit("cache_check: kinds do not add up to %d in %r" % (total, line))
print(total, kinds.get("internal", 0), kinds.get("remote cache hit", 0))
PY
}

# CPU seconds used by the Bazel server's finished children (the actions), from /proc: wall time on
# a shared machine says little, CPU time says what the build costs on idle cores.
actions_cpu() {
  local pid
  pid="$(cat "$OB/server/server.pid.txt" 2>/dev/null)" || { echo 0; return; }
  /usr/bin/python3 - "$pid" <<'PY' 2>/dev/null || echo 0
import os, sys
stat = open("/proc/%s/stat" % sys.argv[1]).read()
fields = stat[stat.rindex(")") + 2:].split()
# After "pid (comm)": state is field 3, cutime 16, cstime 17 (proc(5)).
print((int(fields[13]) + int(fields[14])) // os.sysconf("SC_CLK_TCK"))
PY
}

run_build() {
  local name="$1"
  shift
  local log="$WORK/$name.log" t0=$SECONDS rc=0 cpu0
  cpu0="$(actions_cpu)"
  bazel_ob build "${BUILD_FLAGS[@]}" "$@" >"$log" 2>&1 || rc=$?
  local dt=$((SECONDS - t0))
  local cpu=$(($(actions_cpu) - cpu0))
  if [ "$rc" != 0 ]; then
    echo "cache_check: $name build failed (exit $rc); last lines:" >&2
    tail -n 40 "$log" >&2
    return 1
  fi
  local summary
  summary="$(process_summary "$log")" || return 1
  read -r SUM_TOTAL SUM_INTERNAL SUM_HITS <<<"$summary"
  SUM_REAL=$((SUM_TOTAL - SUM_INTERNAL))
  echo "cache_check: $name: ${dt}s wall, ${cpu}s CPU in actions, $SUM_TOTAL processes, $SUM_INTERNAL internal," \
    "$SUM_REAL real, $SUM_HITS remote cache hits"
  grep -E '^INFO: [0-9]+ process' "$log" | tail -n 1 | sed 's/^/cache_check:   /'
}

echo "cache_check: targets: ${TARGETS[*]} (+ $PROBE)"
T_START=$SECONDS

run_build cold -- "${TARGETS[@]}" "$PROBE"
COLD_REAL=$SUM_REAL
if [ "$SUM_HITS" != 0 ]; then
  echo "cache_check: FAIL: the cold build got $SUM_HITS hits from an empty cache" >&2
  exit 1
fi
BLOBS=$(find "$WORK/nginx/store" -type f | wc -l)
BYTES=$(du -sb "$WORK/nginx/store" | cut -f1)
echo "cache_check: cache now holds $BLOBS blobs, $BYTES bytes"
if [ "$COLD_REAL" -gt 0 ] && [ "$BLOBS" = 0 ]; then
  echo "cache_check: FAIL: nothing was uploaded; nginx log:" >&2
  tail -n 20 "$WORK/nginx/logs/error.log" >&2
  exit 1
fi

bazel_ob clean >"$WORK/clean.log" 2>&1

run_build warm -- "${TARGETS[@]}" "$PROBE"
if [ "$SUM_REAL" -le 0 ]; then
  echo "cache_check: FAIL: the rebuild after clean ran no actions at all" >&2
  exit 1
fi
PERCENT=$((100 * SUM_HITS / SUM_REAL))
echo "cache_check: remote cache hits: $SUM_HITS of $SUM_REAL actions = ${PERCENT}%" \
  "(need >= ${MIN_PERCENT}%)"
if [ $((100 * SUM_HITS)) -lt $((MIN_PERCENT * SUM_REAL)) ]; then
  echo "cache_check: FAIL: too few remote cache hits; nginx errors:" >&2
  tail -n 20 "$WORK/nginx/logs/error.log" >&2
  exit 1
fi

# --- Salt: exec properties take part in the action keys, so a toolchain salt works.
# (Bazel 4.2.3 crashes on a second value for the same property name, so the check uses its own
# property name: with it set to A the probe misses and uploads, with B it must miss again, and
# with A again it must hit — the B misses are then due to the value alone.)
salted_probe() {
  bazel_ob clean >>"$WORK/clean.log" 2>&1
  run_build "salt-$1" "--remote_default_exec_properties=cache-check-salt=$1" -- "$PROBE"
  if [ "$SUM_REAL" -le 0 ]; then
    echo "cache_check: FAIL: probe $PROBE ran no actions" >&2
    exit 1
  fi
}
salted_probe A
[ "$SUM_HITS" = 0 ] || { echo "cache_check: FAIL: an added salt still hit the cache" >&2; exit 1; }
salted_probe B
[ "$SUM_HITS" = 0 ] || { echo "cache_check: FAIL: salt B hit salt A's entries" >&2; exit 1; }
salted_probe A
[ "$SUM_HITS" = "$SUM_REAL" ] || { echo "cache_check: FAIL: salt A missed its own entries" >&2; exit 1; }
echo "cache_check: salt ok: a different salt value misses, the same value hits"
echo "cache_check: PASS (${PERCENT}% hits, total $((SECONDS - T_START))s)"
