#!/bin/bash
# `printf 'Version\nShutdown\n' | bazel run //:viperdos -- --net none` prints the version and
# exits 0; the same runner with --timeout fails (status 124) when the guest never powers off.
set -u
out="${TEST_TMPDIR:-/tmp}/pipe.out"
printf 'Version\nShutdown\n' | ./viperdos.qemu.sh --net none --timeout 60 >"$out" 2>&1
rc=$?
if [[ $rc -ne 0 ]] || ! grep -q "ViperDOS 0.3 (aarch64, QEMU virt)" "$out" ||
  ! grep -q "ViperDOS: power off" "$out"; then
  echo "FAIL: piped Version/Shutdown (exit $rc)"
  cat "$out"
  exit 1
fi
printf 'Version\n' | ./viperdos.qemu.sh --net none --timeout 5 >"$out" 2>&1
rc=$?
if [[ $rc -ne 124 ]] || ! grep -q "timeout after 5 s" "$out"; then
  echo "FAIL: no Shutdown should time out with 124 (exit $rc)"
  cat "$out"
  exit 1
fi
echo "ok   piped console"

# Runner options: --append reaches the kernel command line, --file (relative to the directory
# `bazel run` started in) lands in the guest file system, bad options are refused.
mkdir -p "$TEST_TMPDIR/wd"
printf 'payload from the host\n' >"$TEST_TMPDIR/wd/note.txt"
printf 'Type /home/note.txt\nShutdown\n' |
  BUILD_WORKING_DIRECTORY="$TEST_TMPDIR/wd" ./viperdos.qemu.sh --net none --timeout 60 \
    --append "ip=10.0.2.15 gw=10.0.2.2 dns=10.0.2.3" --file note.txt:/home/note.txt >"$out" 2>&1
rc=$?
if [[ $rc -ne 0 ]] || ! grep -q 'command line "ip=10.0.2.15 gw=10.0.2.2 dns=10.0.2.3"' "$out" ||
  ! grep -q "payload from the host" "$out"; then
  echo "FAIL: --append/--file (exit $rc)"
  cat "$out"
  exit 1
fi
cmd=$(./viperdos.qemu.sh --net user --fwd tcp:127.0.0.1:18080-:80 --pcap x.pcap --print-command)
case "$cmd" in
  *"restrict=on"*"hostfwd=tcp:127.0.0.1:18080-:80"*"filter-dump,id=f0,netdev=n0,file="*) ;;
  *)
    echo "FAIL: user networking command line: $cmd"
    exit 1
    ;;
esac
for bad in "--net wifi" "--fwd tcp:1-:2" "--file nocolon" "--file /nonexistent:/x"; do
  # shellcheck disable=SC2086
  ./viperdos.qemu.sh $bad --timeout 5 </dev/null >"$out" 2>&1
  rc=$?
  if [[ $rc -ne 2 ]] || ! grep -q "qemu_runner:" "$out"; then
    echo "FAIL: '$bad' should be refused with status 2 (got $rc)"
    cat "$out"
    exit 1
  fi
done
echo "ok   options"

# On a terminal (a pty from `script`): the console is interactive, Ctrl-C reaches the guest and
# ends the running program instead of killing QEMU.
if ! command -v script >/dev/null; then
  echo "FAIL: 'script' (util-linux) is needed for the terminal test"
  exit 1
fi
(
  sleep 3
  printf 'Run sleeper sleep\r'
  sleep 2
  printf '\003'
  sleep 1
  printf 'Version\r'
  sleep 1
  printf 'Shutdown\r'
  sleep 2
) | timeout 60 script -qec "./viperdos.qemu.sh --net none" /dev/null >"$out" 2>&1
rc=$?
tr -d '\r' <"$out" >"$out.txt"
if [[ $rc -ne 0 ]] || ! grep -q "Ctrl-A x quits QEMU" "$out.txt" ||
  ! grep -q "Program 'sleeper' interrupted" "$out.txt" ||
  ! grep -q "ViperDOS 0.3 (aarch64, QEMU virt)" "$out.txt" ||
  ! grep -q "ViperDOS: power off" "$out.txt"; then
  echo "FAIL: interactive terminal session (exit $rc)"
  cat "$out.txt"
  exit 1
fi
echo "ok   terminal"
