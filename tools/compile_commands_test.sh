#!/usr/bin/env bash
# Tests tools/compile_commands.py on a hand-written aquery result: execroot-relative paths must be
# resolved (sources to the workspace, bazel-out/ to the execroot, external/ to the output base),
# also when glued to a flag; one entry per source, with the documented precedence; no assembly.
set -euo pipefail

PY="${TEST_SRCDIR:?run me with bazel test}/viperdos/tools/compile_commands.py"
T="$TEST_TMPDIR"
WS=/ws
EX=/ob/execroot/viperdos
OB=/ob

# Configuration 1 (target, 2 actions) and 2 (exec, 1 action) both compile net/a.c: the target
# configuration must win although its action comes second. The aarch64 file adds kernel/k.c and
# repeats net/a.c, which must not replace the host entry.
# kernel/k.c is also in the host aquery, but only through a transition (-ST-): the plain
# aarch64 entry must win over it.
cat >"$T/host.json" <<'JSON'
{"configuration": [{"id": 1, "mnemonic": "k8-fastbuild"}, {"id": 2, "mnemonic": "k8-opt"},
                   {"id": 3, "mnemonic": "k8-fastbuildaarch64-kernel-ST-0123abcd"}],
 "actions": [
 {"configurationId": 3, "mnemonic": "CppCompile",
  "arguments": ["/usr/lib/llvm-14/bin/clang", "-DTRANSITIONED", "-c", "kernel/k.c"]},
 {"configurationId": 2, "mnemonic": "CppCompile",
  "arguments": ["/usr/lib/llvm-14/bin/clang", "-DEXEC", "-c", "net/a.c", "-o", "bazel-out/host/bin/a.o"]},
 {"configurationId": 1, "mnemonic": "CppCompile",
  "arguments": ["/usr/lib/llvm-14/bin/clang", "-MF", "bazel-out/k8-fastbuild/bin/a.d",
                "-iquote", ".", "-iquote", "bazel-out/k8-fastbuild/bin",
                "-isystem", "external/com_google_googletest/googletest/include",
                "-Iexternal/foo/include", "-frandom-seed=bazel-out/k8-fastbuild/bin/a.o",
                "-DTARGET", "-c", "net/a.c", "-o", "bazel-out/k8-fastbuild/bin/a.o"]},
 {"configurationId": 1, "mnemonic": "CppCompile",
  "arguments": ["/usr/lib/llvm-14/bin/clang", "-c", "bazel-out/k8-fastbuild/bin/net/gen.c"]},
 {"configurationId": 1, "mnemonic": "CppCompile",
  "arguments": ["/usr/lib/llvm-14/bin/clang", "-c", "external/com_google_googletest/googletest/src/gtest.cc"]},
 {"configurationId": 1, "mnemonic": "CppCompile",
  "arguments": ["/usr/lib/llvm-14/bin/clang", "-c", "external/bazel_tools/src/tools/launcher/dummy.cc"]}
]}
JSON
cat >"$T/aarch64.json" <<'JSON'
{"configuration": [{"id": 1, "mnemonic": "k8-fastbuildaarch64-kernel"}],
 "actions": [
 {"configurationId": 1, "mnemonic": "CppCompile",
  "arguments": ["/usr/lib/llvm-14/bin/clang", "--target=aarch64-none-elf", "-c", "net/a.c"]},
 {"configurationId": 1, "mnemonic": "CppCompile",
  "arguments": ["/usr/lib/llvm-14/bin/clang", "--target=aarch64-none-elf", "-c", "kernel/k.c"]},
 {"configurationId": 1, "mnemonic": "CppCompile",
  "arguments": ["/usr/lib/llvm-14/bin/clang", "--target=aarch64-none-elf", "-c", "kernel/start.S"]}
]}
JSON

/usr/bin/python3 "$PY" --workspace "$WS" --execroot "$EX" --output-base "$OB" \
  --out "$T/cc.json" "$T/host.json" "$T/aarch64.json"

/usr/bin/python3 - "$T/cc.json" <<'CHECK'
import json, sys
db = json.load(open(sys.argv[1]))
by_file = {e["file"]: e for e in db}
want_files = [
    "/ob/execroot/viperdos/bazel-out/k8-fastbuild/bin/net/gen.c",
    "/ob/external/com_google_googletest/googletest/src/gtest.cc",
    "/ws/kernel/k.c",
    "/ws/net/a.c",
]
errors = []
if sorted(by_file) != want_files:
    errors.append("files: %s" % sorted(by_file))
for e in db:
    if e["directory"] != "/ws":
        errors.append("directory %s" % e["directory"])
a = by_file.get("/ws/net/a.c", {}).get("arguments", [])
want_a = ["/usr/lib/llvm-14/bin/clang", "-MF", "/ob/execroot/viperdos/bazel-out/k8-fastbuild/bin/a.d",
          "-iquote", ".", "-iquote", "/ob/execroot/viperdos/bazel-out/k8-fastbuild/bin",
          "-isystem", "/ob/external/com_google_googletest/googletest/include",
          "-I/ob/external/foo/include",
          "-frandom-seed=/ob/execroot/viperdos/bazel-out/k8-fastbuild/bin/a.o",
          "-DTARGET", "-c", "/ws/net/a.c", "-o", "/ob/execroot/viperdos/bazel-out/k8-fastbuild/bin/a.o"]
if a != want_a:
    errors.append("net/a.c arguments:\n got  %s\n want %s" % (a, want_a))
k = by_file.get("/ws/kernel/k.c", {}).get("arguments", [])
if "--target=aarch64-none-elf" not in k or "-DTRANSITIONED" in k:
    errors.append("kernel/k.c: want the plain aarch64 entry, got %s" % k)
for msg in errors:
    print("FAIL:", msg)
sys.exit(1 if errors else 0)
CHECK

# Unreadable input is a clear error, not a traceback or an empty database.
if out="$(/usr/bin/python3 "$PY" --workspace "$WS" --execroot "$EX" --output-base "$OB" \
  --out "$T/bad.json" "$T/missing.json" 2>&1)"; then
  echo "FAIL: missing aquery file accepted"
  exit 1
fi
grep -q "cannot read aquery output" <<<"$out" || { echo "FAIL: unclear error: $out"; exit 1; }
[ ! -e "$T/bad.json" ] || { echo "FAIL: wrote a database from a missing input"; exit 1; }
echo "compile_commands_test: all checks passed"
