#!/bin/sh
# Runs a fuzz binary built without libFuzzer (fuzz_driver.c) over its deterministic inputs; under
# --config=fuzz the binary is a real libFuzzer binary, so give it a bounded run instead.
set -eu
bin="$1"
if "$bin" -help=1 2>&1 | grep -q "libFuzzer"; then
  exec "$bin" -runs=20000 -seed=1
fi
exec "$bin"
