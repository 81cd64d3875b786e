"""user_program_file: an EL0 program built for //platforms:aarch64_user, as a plain file for the
guest's file system: a qemu_test's `files`, or `//:viperdos -- --file PATH:/data/NAME` from a host
script (bench/qemu_net.sh). Programs that only tests or benchmarks need stay out of the kernel's
built-in /bin this way."""

load("//platforms:transitions.bzl", "aarch64_user_transition")

def _impl(ctx):
    f = ctx.attr.program[0][DefaultInfo].files_to_run.executable
    out = ctx.actions.declare_file(ctx.label.name)
    ctx.actions.symlink(output = out, target_file = f)
    return [DefaultInfo(files = depset([out]), runfiles = ctx.runfiles(files = [out]))]

user_program_file = rule(
    implementation = _impl,
    attrs = {
        "program": attr.label(cfg = aarch64_user_transition, mandatory = True),
        "_allowlist_function_transition": attr.label(
            default = "@bazel_tools//tools/allowlists/function_transition_allowlist",
        ),
    },
)
