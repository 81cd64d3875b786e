"""user_program_file: an EL0 program built for //platforms:aarch64_user, as a plain file a host
script can hand to the guest (`//:viperdos -- --file PATH:/data/NAME`)."""

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
