#!/bin/bash
# Runs the parser fuzz target over its deterministic inputs (libFuzzer's own main under
# --config=fuzz: then a bounded run).
set -eu
bin=kernel/fuzz/parsers_fuzz
if "$bin" -help=1 2>&1 | grep -q libFuzzer; then
  exec "$bin" -runs=200000 -seed=1
fi
FUZZ_ITERATIONS=200000 "$bin"
