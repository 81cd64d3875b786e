"""user_initrd: packs EL0 programs (built for //platforms:aarch64_user) and data files into a
cpio newc archive that the kernel embeds and loads into its RAM file system at boot."""

def _user_transition_impl(settings, attr):
    return {
        "//command_line_option:platforms": "//platforms:aarch64_user",
        "//command_line_option:platform_suffix": "aarch64-user",
        # Host-only flags such as --config=asan/ubsan/fuzz must not reach bare-metal images
        # (there is no sanitizer runtime under the kernel or in EL0 programs).
        "//command_line_option:copt": [],
        "//command_line_option:linkopt": [],
    }

_user_transition = transition(
    implementation = _user_transition_impl,
    inputs = [],
    outputs = [
        "//command_line_option:platforms",
        "//command_line_option:platform_suffix",
        "//command_line_option:copt",
        "//command_line_option:linkopt",
    ],
)

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
        "programs": attr.label_keyed_string_dict(cfg = _user_transition),
        "files": attr.label_keyed_string_dict(allow_files = True),
        "_tool": attr.label(default = "//kernel:mkinitrd.py", allow_single_file = True),
        "_allowlist_function_transition": attr.label(
            default = "@bazel_tools//tools/allowlists/function_transition_allowlist",
        ),
    },
)
