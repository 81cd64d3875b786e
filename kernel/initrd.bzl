"""user_initrd: packs EL0 programs (built for //platforms:aarch64_user) and data files into a
cpio newc archive that the kernel embeds and loads into its RAM file system at boot."""

load("//platforms:transitions.bzl", "aarch64_user_transition")

def _user_initrd_impl(ctx):
    out = ctx.actions.declare_file(ctx.label.name + ".cpio.inc")
    inputs = []
    args = [ctx.file._tool.path, out.path, "--strip=/usr/lib/llvm-14/bin/llvm-strip"]
    for target, dest in ctx.attr.programs.items():
        f = target[DefaultInfo].files_to_run.executable or target[DefaultInfo].files.to_list()[0]
        inputs.append(f)
        args.append("%s=%s" % (f.path, dest))
    for target, dest in ctx.attr.files.items():
        for f in target.files.to_list():
            inputs.append(f)
            args.append("%s=%s" % (f.path, dest))
    ctx.actions.run(
        executable = "/usr/bin/python3",
        arguments = args,
        inputs = inputs + [ctx.file._tool],
        outputs = [out],
        mnemonic = "UserInitrd",
    )
    return [DefaultInfo(files = depset([out]))]

user_initrd = rule(
    implementation = _user_initrd_impl,
    attrs = {
        "programs": attr.label_keyed_string_dict(cfg = aarch64_user_transition),
        "files": attr.label_keyed_string_dict(allow_files = True),
        "_tool": attr.label(default = "//kernel:mkinitrd.py", allow_single_file = True),
        "_allowlist_function_transition": attr.label(
            default = "@bazel_tools//tools/allowlists/function_transition_allowlist",
        ),
    },
)
