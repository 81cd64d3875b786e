"""debian_source: a repository rule that builds an external repository from a Debian source package.

Everything comes through apt (the only network this project relies on):

    apt-get source --download-only <package>

fetches the .dsc, the upstream ("orig") tarball and the Debian tarball of whatever revision the
machine's apt sources currently offer. The Debian revision moves with security updates, the orig
tarball does not, so the orig tarball's sha256 is what we pin. The rule then

  1. checks that sha256 (a mismatch is an error, never a warning),
  2. extracts the orig tarball at the repository root (stripping its single top-level directory
     unless told otherwise),
  3. extracts the Debian tarball beside it under `_debian/` and applies `debian/patches/series`
     in order with `patch --fuzz=0`, as quilt would; one patch that does not apply fails the fetch,
  4. applies our own extra patches, if any, and
  5. overlays the given BUILD file.

deb-src entries must be enabled in apt's sources (./bazelw derives them from the machine's own
`deb` entries; never write a mirror host name into the repository).

Example:

    load("//third_party/debian:debian_source.bzl", "debian_source")

    debian_source(
        name = "wolfssl",
        package = "wolfssl",
        orig_sha256 = "b7ee150e...",
        build_file = "//third_party/wolfssl:wolfssl.BUILD",
    )
"""

_DEB_SRC_HELP = """\
apt has no deb-src entries, so `apt-get source` cannot fetch Debian source packages.
Run the build through ./bazelw (it enables them), or enable them by hand as root:
  sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources \\
      > /etc/apt/sources.list.d/viperdos-deb-src.sources && apt-get update"""

def _fail(rctx, what, result = None):
    msg = "debian_source(%s): %s" % (rctx.attr.name, what)
    if result != None:
        msg += "\n--- stdout ---\n%s\n--- stderr ---\n%s" % (result.stdout, result.stderr)
    fail(msg)

def _run(rctx, what, args, working_directory = "", timeout = 600):
    result = rctx.execute(args, working_directory = working_directory, timeout = timeout, quiet = True)
    if result.return_code != 0:
        _fail(rctx, "%s failed (exit %d): %s" % (what, result.return_code, " ".join(args)), result)
    return result

def _find_one(rctx, directory, prefix, infix, description):
    """Returns the single entry of `directory` named prefix*infix* (signatures excluded)."""
    found = [
        p
        for p in rctx.path(directory).readdir()
        if (p.basename.startswith(prefix) and infix in p.basename[len(prefix):] and
            not p.basename.endswith(".asc"))
    ]
    if len(found) != 1:
        _fail(rctx, "expected exactly one %s in %s, found %s" % (
            description,
            directory,
            [p.basename for p in found] or "none",
        ))
    return found[0]

def _download(rctx, dl_dir):
    if rctx.which("apt-get") == None:
        _fail(rctx, "apt-get not found: debian_source needs a Debian host with apt.")
    pkg = rctx.attr.package
    spec = pkg + ("=" + rctx.attr.version if rctx.attr.version else "")
    result = rctx.execute(
        ["apt-get", "source", "--download-only", spec],
        working_directory = str(dl_dir),
        timeout = 900,
        quiet = True,
    )
    if result.return_code != 0:
        text = result.stdout + result.stderr
        if "deb-src" in text:
            _fail(rctx, _DEB_SRC_HELP)
        if "Unable to find a source package" in text:
            _fail(rctx, ("apt knows no source package '%s'. If deb-src entries were added " +
                         "recently, run `apt-get update` as root.") % spec, result)
        _fail(rctx, "`apt-get source --download-only %s` failed (exit %d)" % (
            spec,
            result.return_code,
        ), result)

def _sha256(rctx, path):
    out = _run(rctx, "sha256sum", ["sha256sum", str(path)]).stdout
    return out.split(" ")[0].strip()

def _top_level_dir(rctx, archive, staging):
    """Extracts `archive` into `staging` and returns the name of its single top-level directory."""
    rctx.extract(archive, output = staging)
    entries = rctx.path(staging).readdir()
    if len(entries) != 1:
        _fail(rctx, ("%s has %d top-level entries, not one directory: set strip_prefix " +
                     "(\".\" strips nothing)") % (
            archive.basename,
            len(entries),
        ))
    return entries[0].basename

def _series(rctx, series_path):
    """Parses a quilt series file into a list of (patch name, strip level)."""
    patches = []
    for raw in rctx.read(series_path).splitlines():
        line = raw.split("#")[0].strip()
        if not line:
            continue
        words = [w for w in line.replace("\t", " ").split(" ") if w]
        strip = 1
        for opt in words[1:]:
            if opt.startswith("-p") and opt[2:].isdigit():
                strip = int(opt[2:])
            else:
                _fail(rctx, "unsupported option '%s' in %s" % (opt, series_path))
        patches.append((words[0], strip))
    return patches

def _apply(rctx, patch_file, strip, label):
    result = rctx.execute(
        [
            "patch",
            "-p%d" % strip,
            "--batch",
            "--forward",
            "--fuzz=0",
            "--no-backup-if-mismatch",
            "--input",
            str(patch_file),
        ],
        quiet = True,
    )
    if result.return_code != 0:
        _fail(rctx, "patch %s does not apply" % label, result)

def _debian_source_impl(rctx):
    pkg = rctx.attr.package
    if rctx.which("patch") == None:
        _fail(rctx, "`patch` not found (Debian package: patch).")

    # 1. Download into a scratch directory inside the repository, removed at the end.
    dl_dir = rctx.path("_apt_download")
    rctx.file("_apt_download/.keep", "")
    _download(rctx, dl_dir)

    orig = _find_one(
        rctx,
        dl_dir,
        pkg + "_",
        ".orig.tar.",
        "orig tarball (%s_*.orig.tar.*)" % pkg,
    )
    actual = _sha256(rctx, orig)
    if actual != rctx.attr.orig_sha256:
        _fail(rctx, ("sha256 mismatch for %s\n  expected %s\n  got      %s\n" +
                     "The upstream tarball must never change under a Debian revision; do not " +
                     "just update the hash without finding out why.") % (
            orig.basename,
            rctx.attr.orig_sha256,
            actual,
        ))

    # 2. Upstream sources at the repository root.
    strip = rctx.attr.strip_prefix
    if strip == "":
        strip = _top_level_dir(rctx, orig, "_orig_staging")
        rctx.delete("_orig_staging")
    rctx.extract(orig, output = "", stripPrefix = "" if strip == "." else strip)

    # 3. Debian packaging and its patch series. Only format 3.0 (quilt) keeps patches that way.
    debian_tar = _find_one(
        rctx,
        dl_dir,
        pkg + "_",
        ".debian.tar.",
        "Debian tarball (%s_*.debian.tar.*; only source format 3.0 (quilt) is supported)" % pkg,
    )
    rctx.extract(debian_tar, output = "_debian")
    fmt = rctx.read("_debian/debian/source/format").strip()
    if fmt != "3.0 (quilt)":
        _fail(rctx, "source format '%s' is not supported (only 3.0 (quilt))" % fmt)
    applied = []
    series_path = rctx.path("_debian/debian/patches/series")
    if series_path.exists:
        for name, level in _series(rctx, series_path):
            patch_file = rctx.path("_debian/debian/patches/" + name)
            if not patch_file.exists:
                _fail(rctx, "patch %s is listed in series but missing" % name)
            _apply(rctx, patch_file, level, "debian/patches/" + name)
            applied.append(name)

    # 4. Our own patches on top of Debian's.
    for label in rctx.attr.patches:
        _apply(rctx, rctx.path(label), rctx.attr.patch_strip, str(label))

    # Record exactly what this repository was built from.
    dsc = _find_one(rctx, dl_dir, pkg + "_", ".dsc", ".dsc file")
    rctx.file("DEBIAN_SOURCE", "\n".join([
        "package: " + pkg,
        "dsc: " + dsc.basename,
        "orig: %s sha256=%s" % (orig.basename, actual),
        "debian patches applied (%d): %s" % (len(applied), " ".join(applied)),
        "",
    ]))
    rctx.delete(dl_dir)

    # 5. Overlay.
    rctx.delete("BUILD")
    rctx.delete("BUILD.bazel")
    rctx.symlink(rctx.attr.build_file, "BUILD.bazel")
    rctx.file("WORKSPACE", "workspace(name = \"%s\")\n" % rctx.attr.name)

debian_source = repository_rule(
    implementation = _debian_source_impl,
    doc = "An external repository from a Debian source package, fetched with apt-get source.",
    attrs = {
        "package": attr.string(mandatory = True, doc = "Debian source package name."),
        "version": attr.string(
            doc = "Optional exact Debian version (e.g. '5.5.4-2+deb12u3'); default: newest.",
        ),
        "orig_sha256": attr.string(
            mandatory = True,
            doc = "sha256 of <package>_<upstream>.orig.tar.*; the fetch fails on mismatch.",
        ),
        "build_file": attr.label(mandatory = True, allow_single_file = True),
        "strip_prefix": attr.string(
            doc = "Directory to strip from the orig tarball; default: its single top-level " +
                  "directory; '.' strips nothing.",
        ),
        "patches": attr.label_list(
            allow_files = True,
            doc = "Extra patches applied after Debian's series, in order.",
        ),
        "patch_strip": attr.int(default = 1, doc = "-p level for `patches`."),
    },
)
