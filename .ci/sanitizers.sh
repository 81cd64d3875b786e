#!/usr/bin/env bash
# Host unit tests (cc_test) under AddressSanitizer and UndefinedBehaviorSanitizer, and vnet's tests
# against real Linux (sh_test, //tools/vnet/tests): there the whole stack is sanitized and runs real
# traffic (bulk TCP, loss, malformed frames, DNS...). Their lib.sh fails a test on any sanitizer
# report vnet writes, including ones from runs that are meant to fail and leaks found at exit.
set -euo pipefail
cd "$(dirname "$0")/.."
for cfg in asan ubsan; do
  echo "--- sanitizers: $cfg (cc_test)"
  ./bazelw test --config="$cfg" --build_tests_only --test_lang_filters=cc \
    --test_tag_filters=-qemu,-manual //...
  echo "--- sanitizers: $cfg (vnet against real Linux)"
  ./bazelw test --config="$cfg" //tools/vnet/tests/...
done
