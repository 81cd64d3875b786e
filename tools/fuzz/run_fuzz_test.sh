#!/bin/sh
# Runs a fuzz target in its deterministic replay mode (//tools/fuzz:replay_main): its seeds plus
# ITERATIONS seeded mutations. Usage: run_fuzz_test.sh BINARY ITERATIONS
set -eu
FUZZ_ITERATIONS="$2" exec "$1"
