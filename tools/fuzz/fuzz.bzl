"""Shared pieces of our libFuzzer targets.

Under --config=fuzz a fuzz binary links libFuzzer's main; otherwise it links a replay driver of its
own package (files given on the command line, or deterministic inputs), so every fuzz target is also
an ordinary binary that a plain `bazel test` can run.
"""

FUZZING = "//tools/fuzz:fuzzing"

FUZZ_LINKOPTS = select({
    FUZZING: ["-fsanitize=fuzzer"],
    "//conditions:default": [],
})

def fuzz_driver_srcs(driver):
    """The replay driver's sources in ordinary builds, nothing under --config=fuzz."""
    return select({
        FUZZING: [],
        "//conditions:default": [driver],
    })
