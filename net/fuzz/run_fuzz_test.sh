#!/bin/sh
# Runs a fuzz target in its deterministic (non-libFuzzer) mode: seeds plus seeded mutations.
set -eu
FUZZ_ITERATIONS="${FUZZ_ITERATIONS:-3000}" "$1"
