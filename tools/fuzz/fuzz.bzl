"""fuzz_target: a libFuzzer target and its deterministic test, and the pieces they share.

Under --config=fuzz a fuzz binary links libFuzzer's main; otherwise it links the shared replay
driver //tools/fuzz:replay_main (files given on the command line, or deterministic inputs from the
target's optional fuzz_seeds()), so every fuzz target is also an ordinary binary that a plain
`bazel test` can run.
"""

load("//platforms:constraints.bzl", "HOST_ONLY")

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

def fuzz_target(name, srcs, deps = [], iterations = 3000, **kwargs):
    """A libFuzzer cc_binary `name` (host only) plus `name_test`, its deterministic replay run.

    Under --config=fuzz the binary fuzzes (CI's fuzz step runs every *_fuzz binary) and the test
    does not exist; in ordinary builds `name_test` runs the seeds plus `iterations` mutations.
    """
    native.cc_binary(
        name = name,
        srcs = srcs,
        linkopts = FUZZ_LINKOPTS,
        target_compatible_with = HOST_ONLY,
        deps = FUZZ_DRIVER_DEPS + deps,
        **kwargs
    )
    native.sh_test(
        name = name + "_test",
        size = "small",
        srcs = ["//tools/fuzz:run_fuzz_test.sh"],
        args = [
            "$(rootpath :%s)" % name,
            str(iterations),
        ],
        data = [":" + name],
        target_compatible_with = select({
            FUZZING: ["//platforms:incompatible"],
            "//conditions:default": HOST_ONLY,
        }),
    )
