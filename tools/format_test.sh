#!/usr/bin/env bash
# Tests tools/format.sh (clang-format part) on a scratch tree: the check must flag exactly the
# mis-formatted file, fixing must produce clang-format's exact output, and afterwards the check
# must pass. Also: third_party/ and bazel-* are skipped, a missing buildifier is a clear error,
# and in a git checkout ignored files are skipped.
set -euo pipefail

RUNFILES="${TEST_SRCDIR:?run me with bazel test}/viperdos"
FORMAT="$RUNFILES/tools/format.sh"
CLANG_FORMAT_CFG="$RUNFILES/.clang-format"
[ -x /usr/bin/clang-format-14 ] || { echo "FAIL: /usr/bin/clang-format-14 missing (Debian clang-format-14)"; exit 1; }

FAILS=0
fail() {
  echo "FAIL: $*"
  FAILS=$((FAILS + 1))
}

# run NAME EXPECTED_EXIT ARGS... — runs format.sh, keeps its output in $OUT.
run() {
  local name="$1" want="$2" rc=0
  shift 2
  OUT="$(bash "$FORMAT" "$@" 2>&1)" || rc=$?
  if [ "$rc" != "$want" ]; then
    fail "$name: exit $rc, want $want; output:"
    printf '%s\n' "$OUT"
  fi
}
contains() { grep -qF -- "$2" <<<"$1"; }

make_tree() {
  local t="$1"
  rm -rf "$t"
  mkdir -p "$t/net/x" "$t/third_party/vendor" "$t/bazel-out/k8/bin"
  cp "$CLANG_FORMAT_CFG" "$t/.clang-format"
  printf 'int  main( ){return 0;}\nint x;\n' >"$t/net/x/bad.c"
  printf '#include <stdio.h>\nstatic int add(int a, int b) { return a + b; }\n' >"$t/net/x/good.c"
  printf 'class  A{public:int f( );};\n' >"$t/net/x/bad_test.cc"
  # Not ours / not sources: must never be flagged or touched.
  printf 'int  vendor( ){return 0;}\n' >"$t/third_party/vendor/v.c"
  printf 'int  gen( ){return 0;}\n' >"$t/bazel-out/k8/bin/gen.c"
}

# --- Plain directory (no git): find-based file list.
T="$TEST_TMPDIR/plain"
make_tree "$T"
run "check dirty tree" 1 --check --no-buildifier --root "$T"
contains "$OUT" "net/x/bad.c" || fail "check did not list net/x/bad.c: $OUT"
contains "$OUT" "net/x/bad_test.cc" || fail "check did not list net/x/bad_test.cc: $OUT"
contains "$OUT" "good.c" && fail "check listed a formatted file: $OUT"
contains "$OUT" "third_party" && fail "check listed third_party code: $OUT"
contains "$OUT" "gen.c" && fail "check listed a bazel-* output: $OUT"
contains "$OUT" "2 file(s) need formatting" || fail "wrong count: $OUT"

run "check one path" 0 --check --no-buildifier --root "$T" net/x/good.c
run "check missing path" 2 --check --no-buildifier --root "$T" net/nope.c
contains "$OUT" "no such file" || fail "missing path: unclear error: $OUT"

good_before="$(cat "$T/net/x/good.c")"
run "fix" 0 --no-buildifier --root "$T"
contains "$OUT" "formatted 2 file(s)" || fail "fix did not report 2 files: $OUT"
[ "$(cat "$T/net/x/bad.c")" = "$(printf 'int main() { return 0; }\nint x;')" ] ||
  fail "bad.c after fix: $(cat "$T/net/x/bad.c")"
[ "$(cat "$T/net/x/bad_test.cc")" = "$(printf 'class A {\n public:\n  int f();\n};')" ] ||
  fail "bad_test.cc after fix: $(cat "$T/net/x/bad_test.cc")"
[ "$(cat "$T/net/x/good.c")" = "$good_before" ] || fail "fix changed good.c"
[ "$(cat "$T/third_party/vendor/v.c")" = "int  vendor( ){return 0;}" ] || fail "fix touched third_party"
[ "$(cat "$T/bazel-out/k8/bin/gen.c")" = "int  gen( ){return 0;}" ] || fail "fix touched bazel-out"
run "check after fix" 0 --check --no-buildifier --root "$T"
contains "$OUT" "format: ok (3 C/C++ files" || fail "clean check output: $OUT"

# --- Buildifier is required unless --no-buildifier: a clear error, not a silent pass.
mkdir -p "$T/empty_home"
OUT="$(HOME="$T/empty_home" XDG_CACHE_HOME="$T/empty_home/.cache" BUILDIFIER=/nonexistent/buildifier \
  bash "$FORMAT" --check --root "$T" 2>&1)" && rc=0 || rc=$?
[ "$rc" = 2 ] || fail "missing buildifier: exit $rc, want 2: $OUT"
contains "$OUT" "not executable" || fail "missing buildifier: unclear message: $OUT"

# --- git checkout: tracked and new files count, ignored ones do not.
if command -v git >/dev/null 2>&1; then
  G="$TEST_TMPDIR/git"
  make_tree "$G"
  printf '/ignored.c\n' >"$G/.gitignore"
  printf 'int  ign( ){return 0;}\n' >"$G/ignored.c"
  git -C "$G" init -q
  git -C "$G" add net/x/bad.c
  run "git check" 1 --check --no-buildifier --root "$G"
  contains "$OUT" "net/x/bad.c" || fail "git: tracked bad.c not listed: $OUT"
  contains "$OUT" "net/x/bad_test.cc" || fail "git: untracked new file not listed: $OUT"
  contains "$OUT" "ignored.c" && fail "git: ignored file listed: $OUT"
else
  fail "git not found"
fi

[ "$FAILS" = 0 ] && echo "format_test: all checks passed"
[ "$FAILS" = 0 ]
