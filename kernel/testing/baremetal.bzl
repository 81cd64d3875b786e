"""baremetal_image: a plain C `int main(void)` program as a bootable QEMU `virt` ELF.

The harness (//kernel/testing:baremetal) supplies start code, an identity-mapped MMU, picolibc's
stdio on the PL011 console, malloc's heap, and an exit report (`BAREMETAL EXIT <code>`) followed
by PSCI SYSTEM_OFF. Build with --config=aarch64, or boot it from a qemu_test (which transitions
its kernel to the aarch64 kernel platform by itself).
"""

load("//platforms:constraints.bzl", "KERNEL_ONLY")
load("//tests:qemu_test.bzl", "qemu_test")

PICOLIBC_LIBC = "/usr/lib/picolibc/aarch64-linux-gnu/lib/libc.a"

_LINKER_SCRIPT = "//kernel/testing:baremetal.ld"

def baremetal_image(name, srcs, deps = [], copts = [], linkopts = [], **kwargs):
    """An aarch64 ELF that runs `main()` on QEMU virt.

    Args:
      name: target name; the output is the ELF `name`.
      srcs: C sources (one defines `int main(void)`).
      deps: cc_library dependencies (built for the aarch64 kernel platform).
      copts: extra compiler options.
      linkopts: extra linker options.
      **kwargs: passed to cc_binary (tags, visibility, ...).
    """
    native.cc_binary(
        name = name,
        srcs = srcs,
        deps = deps + ["//kernel/testing:baremetal"],
        copts = copts,
        additional_linker_inputs = [_LINKER_SCRIPT],
        linkopts = [
            "-Wl,-T,$(location %s)" % _LINKER_SCRIPT,
            # One flat image: no RELRO segment to keep contiguous.
            "-Wl,-z,norelro",
            PICOLIBC_LIBC,
        ] + linkopts,
        target_compatible_with = KERNEL_ONLY,
        **kwargs
    )

def baremetal_test(name, srcs, deps = [], copts = [], expect = [], size = "small", tags = [], **kwargs):
    """A baremetal_image booted under QEMU; passes when main() returns 0.

    Args:
      name: test name; the image is `name + "_image"`.
      srcs: C sources (one defines `int main(void)`).
      deps: cc_library dependencies.
      copts: extra compiler options.
      expect: console lines expected (in order) before the final `BAREMETAL EXIT 0`.
      size: test size.
      tags: test tags.
      **kwargs: passed to qemu_test (timeout, ...).
    """
    baremetal_image(
        name = name + "_image",
        srcs = srcs,
        deps = deps,
        copts = copts,
        tags = ["manual"] + tags,
    )
    qemu_test(
        name = name,
        kernel = ":" + name + "_image",
        expect = expect + ["BAREMETAL EXIT 0"],
        size = size,
        tags = tags,
        **kwargs
    )
