#!/usr/bin/env bash
# Host unit tests (cc_test) under AddressSanitizer and UndefinedBehaviorSanitizer.
set -euo pipefail
cd "$(dirname "$0")/.."
for cfg in asan ubsan; do
  echo "--- sanitizers: $cfg"
  ./bazelw test --config="$cfg" --build_tests_only --test_lang_filters=cc \
    --test_tag_filters=-qemu,-manual //...
done
