"""vdos_program: an EL0 program for ViperDOS (picolibc + user/libc, linked at USER_BASE)."""

load("//platforms:constraints.bzl", "USER_ONLY")

PICOLIBC_LIBC = "/usr/lib/picolibc/aarch64-linux-gnu/lib/libc.a"

def vdos_program(name, srcs, deps = [], **kwargs):
    native.cc_binary(
        name = name,
        srcs = srcs,
        deps = deps + ["//user/libc"],
        additional_linker_inputs = ["//user/libc:user.ld"],
        linkopts = [
            "-Wl,-T,$(location //user/libc:user.ld)",
            "-Wl,-z,norelro",
            PICOLIBC_LIBC,
        ],
        target_compatible_with = USER_ONLY,
        **kwargs
    )
