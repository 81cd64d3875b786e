"""clang-14/lld toolchain configurations for ViperDOS (host, aarch64 kernel, aarch64 user).

Tools are absolute paths to Debian's LLVM 14, so nothing is autodetected and nothing downloaded.
Because the compiler is then not an action input, remote cache keys are salted with its version
(see .bazelrc, --config=remote-cache).
"""

load("@bazel_tools//tools/build_defs/cc:action_names.bzl", "ACTION_NAMES")
load(
    "@bazel_tools//tools/cpp:cc_toolchain_config_lib.bzl",
    "feature",
    "flag_group",
    "flag_set",
    "tool_path",
    "with_feature_set",
)

LLVM = "/usr/lib/llvm-14/bin/"

_ALL_COMPILE = [
    ACTION_NAMES.c_compile,
    ACTION_NAMES.cpp_compile,
    ACTION_NAMES.assemble,
    ACTION_NAMES.preprocess_assemble,
    ACTION_NAMES.cpp_header_parsing,
    ACTION_NAMES.cpp_module_compile,
    ACTION_NAMES.linkstamp_compile,
]

_CXX_COMPILE = [ACTION_NAMES.cpp_compile, ACTION_NAMES.cpp_header_parsing]
_C_COMPILE = [ACTION_NAMES.c_compile]

_ALL_LINK = [
    ACTION_NAMES.cpp_link_executable,
    ACTION_NAMES.cpp_link_dynamic_library,
    ACTION_NAMES.cpp_link_nodeps_dynamic_library,
]

def _flags(actions, flags, features = None):
    return flag_set(
        actions = actions,
        flag_groups = [flag_group(flags = flags)],
        with_features = [with_feature_set(features = features)] if features else [],
    )

def _impl(ctx):
    tool_paths = [
        tool_path(name = "gcc", path = LLVM + "clang"),
        tool_path(name = "cpp", path = LLVM + "clang-cpp"),
        tool_path(name = "ld", path = LLVM + "ld.lld"),
        tool_path(name = "ar", path = LLVM + "llvm-ar"),
        tool_path(name = "nm", path = LLVM + "llvm-nm"),
        tool_path(name = "objcopy", path = LLVM + "llvm-objcopy"),
        tool_path(name = "objdump", path = LLVM + "llvm-objdump"),
        tool_path(name = "strip", path = LLVM + "llvm-strip"),
        tool_path(name = "gcov", path = LLVM + "llvm-cov"),
        tool_path(name = "dwp", path = LLVM + "llvm-dwp"),
        tool_path(name = "llvm-cov", path = LLVM + "llvm-cov"),
    ]

    target_flags = ["--target=" + ctx.attr.target_triple] if ctx.attr.target_triple else []

    compile_flags = feature(
        name = "viperdos_compile_flags",
        enabled = True,
        flag_sets = [
            _flags(_ALL_COMPILE, target_flags + [
                "-no-canonical-prefixes",
                "-Wall",
                "-Wextra",
                "-Wno-unused-parameter",
                "-Wno-builtin-macro-redefined",
                # Reproducible outputs: cache hits across machines and checkouts.
                "-D__DATE__=\"redacted\"",
                "-D__TIMESTAMP__=\"redacted\"",
                "-D__TIME__=\"redacted\"",
                "-ffunction-sections",
                "-fdata-sections",
            ] + ctx.attr.extra_compile_flags),
            _flags(_C_COMPILE, ["-std=c11"] + ctx.attr.extra_c_flags),
            _flags(_CXX_COMPILE, ["-std=c++17"] + ctx.attr.extra_cxx_flags),
            _flags(_ALL_COMPILE, ["-g", "-O0"], ["dbg"]),
            _flags(_ALL_COMPILE, ["-g1", "-O2"], ["fastbuild"]),
            _flags(_ALL_COMPILE, ["-O2", "-DNDEBUG"], ["opt"]),
        ],
    )

    link_flags = feature(
        name = "viperdos_link_flags",
        enabled = True,
        flag_sets = [
            _flags(_ALL_LINK, target_flags + [
                "-fuse-ld=lld",
                "-no-canonical-prefixes",
                "-Wl,--gc-sections",
            ] + ctx.attr.extra_link_flags),
        ],
    )

    features = [
        feature(name = "dbg"),
        feature(name = "fastbuild"),
        feature(name = "opt"),
        feature(name = "supports_pic", enabled = ctx.attr.supports_pic),
        feature(name = "supports_dynamic_linker", enabled = ctx.attr.supports_pic),
        feature(name = "static_link_cpp_runtimes", enabled = False),
        compile_flags,
        link_flags,
    ]

    return cc_common.create_cc_toolchain_config_info(
        ctx = ctx,
        features = features,
        cxx_builtin_include_directories = ctx.attr.builtin_include_dirs,
        toolchain_identifier = ctx.attr.toolchain_identifier,
        host_system_name = "x86_64-unknown-linux-gnu",
        target_system_name = ctx.attr.target_triple or "x86_64-unknown-linux-gnu",
        target_cpu = ctx.attr.target_cpu,
        target_libc = ctx.attr.target_libc,
        compiler = "clang",
        abi_version = "clang-14",
        abi_libc_version = ctx.attr.target_libc,
        tool_paths = tool_paths,
    )

viperdos_cc_toolchain_config = rule(
    implementation = _impl,
    attrs = {
        "toolchain_identifier": attr.string(mandatory = True),
        "target_triple": attr.string(default = ""),
        "target_cpu": attr.string(mandatory = True),
        "target_libc": attr.string(default = "unknown"),
        "supports_pic": attr.bool(default = False),
        "builtin_include_dirs": attr.string_list(),
        "extra_compile_flags": attr.string_list(),
        "extra_c_flags": attr.string_list(),
        "extra_cxx_flags": attr.string_list(),
        "extra_link_flags": attr.string_list(),
    },
    provides = [CcToolchainConfigInfo],
)
