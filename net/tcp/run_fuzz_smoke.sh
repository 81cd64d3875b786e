#!/bin/sh
# Runs a fuzz binary built without libFuzzer (//tools/fuzz:replay_main) over 20,000 deterministic
# inputs; under --config=fuzz the binary is a real libFuzzer binary, so give it a bounded run.
set -eu
bin="$1"
if "$bin" -help=1 2>&1 | grep -q "libFuzzer"; then
  exec "$bin" -runs=20000 -seed=1
fi
export FUZZ_ITERATIONS=20000
exec "$bin"
