#!/usr/bin/python3
"""Turns `bazel aquery --output=jsonproto` outputs into a compile_commands.json for clangd.

Paths in Bazel's command lines are relative to the execution root. The database uses the
workspace as its directory instead, so that the entries name the files an editor opens:
  - workspace sources      -> <workspace>/<path>
  - bazel-out/... (generated files, generated include dirs) -> <execroot>/bazel-out/...
  - external/...  (external repositories, e.g. GoogleTest)   -> <output_base>/external/...
Paths are rewritten whether they stand alone ("-iquote", "external/x") or are glued to a flag
("-Iexternal/x", "-frandom-seed=bazel-out/..."). One entry per source file: the first aquery
given wins (so host comes before cross configurations), and within one aquery the configuration
with the most compile actions (the target configuration, not the exec one) wins. Entries from
Starlark-transition configurations ("-ST-<hash>", e.g. kernels built for host tests) lose to any
other, since only a plain build of that platform creates their generated include trees.
Assembly sources are left out: clangd does not parse them.

Usage: compile_commands.py --workspace DIR --execroot DIR --output-base DIR --out FILE \
           AQUERY.json...
"""

import argparse
import collections
import json
import os
import sys

SOURCE_EXTENSIONS = (".c", ".cc", ".cpp", ".cxx", ".c++", ".S", ".s")
# Flags whose value may be glued to them and may name a path.
PATH_FLAG_PREFIXES = (
    "-I", "-iquote", "-isystem", "-idirafter", "-include", "-imacros", "-F",
    "-frandom-seed=", "--sysroot=", "-fsanitize-blacklist=", "-fsanitize-ignorelist=",
    "-fprofile-use=", "-o", "-MF",
)


class Resolver:
    def __init__(self, workspace, execroot, output_base):
        self.workspace = workspace
        self.execroot = execroot
        self.external = os.path.join(output_base, "external")

    def path(self, p):
        """Resolves one execroot-relative path; leaves absolute paths and non-paths alone."""
        if p.startswith("bazel-out/") or p == "bazel-out":
            return os.path.join(self.execroot, p)
        if p.startswith("external/"):
            return os.path.join(self.external, p[len("external/"):])
        return p

    def arg(self, a):
        if a.startswith(("bazel-out", "external/")):
            return self.path(a)
        for prefix in PATH_FLAG_PREFIXES:
            if a.startswith(prefix) and len(a) > len(prefix):
                rest = a[len(prefix):]
                if rest.startswith(("bazel-out/", "external/")):
                    return prefix + self.path(rest)
        return a

    def source(self, p):
        """The absolute path of a compiled source file."""
        resolved = self.path(p)
        if os.path.isabs(resolved):
            return os.path.normpath(resolved)
        return os.path.normpath(os.path.join(self.workspace, resolved))


def source_index(args):
    """Index of the file after -c; else of the last argument that looks like a source file."""
    for i, a in enumerate(args[:-1]):
        if a == "-c":
            return i + 1
    for i in range(len(args) - 1, 0, -1):
        if args[i].endswith(SOURCE_EXTENSIONS) and not args[i].startswith("-"):
            return i
    return None


def entries_from_aquery(data, resolver):
    """Yields (rank, source, arguments); a lower rank is better within this aquery."""
    actions = [a for a in data.get("actions", []) if a.get("arguments")]
    per_config = collections.Counter(a.get("configurationId") for a in actions)
    mnemonic = {c.get("id"): c.get("mnemonic", "") for c in data.get("configuration", [])}
    for action in actions:
        config = action.get("configurationId")
        # Outputs of a Starlark transition (e.g. a kernel built for a host test) sit in
        # "-ST-<hash>" directories that a plain build of that platform does not create; a
        # configuration with more compile actions is the target one, not the exec one.
        rank = ("-ST-" in mnemonic.get(config, ""), -per_config[config])
        args = action["arguments"]
        i = source_index(args)
        # Bazel's own helper sources (the launcher stub) are not ours to edit; clangd does not
        # parse assembly (it reports a spurious error per .S file).
        if i is None or args[i].startswith("external/bazel_tools/"):
            continue
        if args[i].endswith((".S", ".s")):
            continue
        src = resolver.source(args[i])
        out = [args[0]] + [resolver.arg(a) for a in args[1:]]
        out[i] = src  # the same absolute path as the entry's "file"
        yield rank, src, out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--workspace", required=True)
    ap.add_argument("--execroot", required=True)
    ap.add_argument("--output-base", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("aquery", nargs="+", help="aquery --output=jsonproto files, best first")
    opts = ap.parse_args()

    resolver = Resolver(os.path.abspath(opts.workspace), opts.execroot, opts.output_base)
    best = {}  # source -> (rank, arguments)
    for order, path in enumerate(opts.aquery):
        try:
            with open(path, encoding="utf-8") as f:
                data = json.load(f)
        except (OSError, ValueError) as e:
            sys.exit("compile_commands: cannot read aquery output %s: %s" % (path, e))
        for (transitioned, size), src, args in entries_from_aquery(data, resolver):
            rank = (transitioned, order, size)
            if src not in best or rank < best[src][0]:
                best[src] = (rank, args)
    seen = {src: args for src, (_, args) in best.items()}

    db = [{"directory": resolver.workspace, "file": src, "arguments": args}
          for src, args in sorted(seen.items())]
    tmp = opts.out + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(db, f, indent=1)
        f.write("\n")
    os.replace(tmp, opts.out)
    generated = sum(1 for src in seen if not src.startswith(resolver.workspace + os.sep))
    print("compile_commands: wrote %s: %d files (%d outside the workspace: external or generated)"
          % (opts.out, len(db), generated))


if __name__ == "__main__":
    main()
