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
echo "ok"
