"""Shorthands for target_compatible_with."""

# Runs on the build machine (Linux x86_64): host tests, vnet, tools.
HOST_ONLY = ["@platforms//os:linux"]

# Bare-metal aarch64 (kernel or EL0 programs).
AARCH64_ONLY = ["@platforms//cpu:aarch64"]

KERNEL_ONLY = ["//platforms:el1_kernel"]

USER_ONLY = ["//platforms:el0_user"]
