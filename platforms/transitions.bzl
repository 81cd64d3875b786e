"""Transitions to the bare-metal aarch64 platforms, for rules that build an image on the host
(qemu_test builds its kernel, user_initrd its EL0 programs). Attributes using them also need
`_allowlist_function_transition` = @bazel_tools//tools/allowlists/function_transition_allowlist.
"""

_OUTPUTS = [
    "//command_line_option:platforms",
    "//command_line_option:platform_suffix",
    "//command_line_option:copt",
    "//command_line_option:linkopt",
]

def _bare_metal(platform, suffix):
    return {
        "//command_line_option:platforms": platform,
        # Bazel 4.2.3 names output dirs after --cpu only; keep these apart from host outputs.
        "//command_line_option:platform_suffix": suffix,
        # Host-only flags such as --config=asan/ubsan/fuzz must not reach bare-metal images
        # (there is no sanitizer runtime under the kernel or in EL0 programs).
        "//command_line_option:copt": [],
        "//command_line_option:linkopt": [],
    }

def _kernel_impl(settings, attr):
    return _bare_metal("//platforms:aarch64_kernel", "aarch64-kernel")

def _user_impl(settings, attr):
    return _bare_metal("//platforms:aarch64_user", "aarch64-user")

aarch64_kernel_transition = transition(
    implementation = _kernel_impl,
    inputs = [],
    outputs = _OUTPUTS,
)

aarch64_user_transition = transition(
    implementation = _user_impl,
    inputs = [],
    outputs = _OUTPUTS,
)
