#!/bin/bash
# The qemu_test rule must fail when it should: wrong text, wrong order, non-zero exit, a guest
# that never powers off, a guest that crashes. Each case must also leave the serial log behind
# and print its tail; the positive control must pass with a saved log.
set -u
fails=0
outdir="${TEST_TMPDIR:-/tmp}/selftest"

run_case() {  # run_case NAME WANT_STATUS(pass|fail) REASON_REGEX LOG_REGEX
  local name=$1 want=$2 reason=$3 logre=$4
  local dir="$outdir/$name"
  mkdir -p "$dir"
  # Each target is a qemu_test; run its launcher from our runfiles like Bazel would.
  TEST_UNDECLARED_OUTPUTS_DIR="$dir" TEST_TIMEOUT=60 "tests/$name.qemu.sh" >"$dir/stdout" 2>"$dir/stderr"
  local rc=$?
  local ok=1
  if [[ $want == pass && $rc -ne 0 ]] || [[ $want == fail && $rc -eq 0 ]]; then
    echo "FAIL $name: exit status $rc, wanted $want"
    ok=0
  fi
  if ! grep -Eq -- "$reason" "$dir/stderr"; then
    echo "FAIL $name: stderr lacks /$reason/"
    ok=0
  fi
  if [[ ! -s "$dir/serial.log" ]] || ! grep -Eq -- "$logre" "$dir/serial.log"; then
    echo "FAIL $name: serial.log missing or lacks /$logre/"
    ok=0
  fi
  if [[ $ok -eq 1 ]]; then
    echo "ok   $name (exit $rc)"
  else
    sed 's/^/    | /' "$dir/stderr" | tail -20
    fails=$((fails + 1))
  fi
}

run_case selftest_pass pass "PASS //tests:selftest_pass" "BAREMETAL EXIT 3"
run_case selftest_wrong_expect fail "expected text #1 not seen.*never printed" "BAREMETAL EXIT 0"
run_case selftest_out_of_order fail "expected text #2 not seen.*malloc ok" "harness: errno ok"
run_case selftest_nonzero_exit fail "expected text #1 not seen.*BAREMETAL EXIT 0" \
  "BAREMETAL EXIT 3"
run_case selftest_no_poweroff fail "timeout after 4 s" "selftest: hanging"
run_case selftest_fault fail "expected text #1 not seen" "BAREMETAL EXCEPTION vector=4 esr="
# Every failing case must show the console tail on stderr.
for name in selftest_wrong_expect selftest_no_poweroff selftest_fault; do
  if ! grep -q -- "---- last" "$outdir/$name/stderr"; then
    echo "FAIL $name: no console tail printed"
    fails=$((fails + 1))
  fi
done
exit $((fails > 0))
