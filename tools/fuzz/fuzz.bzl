"""Shared pieces of our libFuzzer targets.

Under --config=fuzz a fuzz binary links libFuzzer's main; otherwise it links the shared replay
driver //tools/fuzz:replay_main (files given on the command line, or deterministic inputs from the
target's optional fuzz_seeds()), so every fuzz target is also an ordinary binary that a plain
`bazel test` can run.
"""

FUZZING = "//tools/fuzz:fuzzing"

FUZZ_LINKOPTS = select({
    FUZZING: ["-fsanitize=fuzzer"],
    "//conditions:default": [],
})

# Deps of every fuzz cc_binary: the replay driver in ordinary builds, nothing under --config=fuzz.
FUZZ_DRIVER_DEPS = select({
    FUZZING: ["//tools/fuzz:fuzz_seeds"],
    "//conditions:default": ["//tools/fuzz:replay_main"],
})
