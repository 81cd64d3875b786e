"""debian_deb: a repository rule that holds one Debian binary package, pinned by version and sha256.

    apt-get download <package>=<version>

fetches the .deb through apt (the only network this project relies on). The rule checks the
file's sha256 (a mismatch is an error, never a warning) and keeps the .deb itself under a fixed,
ASCII name (`package.deb`) so that build actions unpack exactly the bytes that were pinned. A BUILD
overlay (or the default one) exports it.

Unlike an orig tarball, a binary package changes with every Debian revision, so both the version
and the hash are pinned. When the archive drops that version (a new security update), apt-get
fails: pick the new version, compare its contents with the old one, then update both values.

Example:

    load("//third_party/debian:debian_deb.bzl", "debian_deb")

    debian_deb(
        name = "debian_ca_certificates",
        package = "ca-certificates",
        version = "20250419~deb12u2",
        sha256 = "b9f76b52...",
    )
"""

_DEFAULT_BUILD = """\
package(default_visibility = ["//visibility:public"])

# The pinned .deb exactly as apt downloaded it (see DEBIAN_DEB for its provenance).
exports_files(["package.deb", "DEBIAN_DEB"])
"""

def _fail(rctx, what, result = None):
    msg = "debian_deb(%s): %s" % (rctx.attr.name, what)
    if result != None:
        msg += "\n--- stdout ---\n%s\n--- stderr ---\n%s" % (result.stdout, result.stderr)
    fail(msg)

def _debian_deb_impl(rctx):
    if rctx.which("apt-get") == None:
        _fail(rctx, "apt-get not found: debian_deb needs a Debian host with apt.")
    spec = "%s=%s" % (rctx.attr.package, rctx.attr.version)

    # apt names the file <package>_<version with ':' escaped>_<arch>.deb; download into a scratch
    # directory so that whatever name it picks is the only entry there.
    rctx.file("_apt_download/.keep", "")
    dl_dir = rctx.path("_apt_download")
    result = rctx.execute(
        ["apt-get", "download", spec],
        working_directory = str(dl_dir),
        timeout = 600,
        quiet = True,
    )
    if result.return_code != 0:
        _fail(rctx, ("`apt-get download %s` failed (exit %d). If apt no longer offers this " +
                     "version, see the update procedure in debian_deb.bzl.") % (
            spec,
            result.return_code,
        ), result)
    debs = [p for p in dl_dir.readdir() if p.basename.endswith(".deb")]
    if len(debs) != 1:
        _fail(rctx, "expected exactly one .deb from apt-get download, found %s" % (
            [p.basename for p in debs] or "none",
        ))
    deb = debs[0]

    sha = rctx.execute(["sha256sum", str(deb)], quiet = True)
    if sha.return_code != 0:
        _fail(rctx, "sha256sum failed", sha)
    actual = sha.stdout.split(" ")[0].strip()
    if actual != rctx.attr.sha256:
        _fail(rctx, ("sha256 mismatch for %s\n  expected %s\n  got      %s\n" +
                     "A Debian package version never changes its bytes; find out why before " +
                     "touching the pin.") % (deb.basename, rctx.attr.sha256, actual))

    # Keep the .deb under a fixed name; record where it came from.
    rctx.execute(["mv", str(deb), str(rctx.path("package.deb"))], quiet = True)
    if not rctx.path("package.deb").exists:
        _fail(rctx, "could not move %s into the repository" % deb.basename)
    rctx.delete(dl_dir)
    rctx.file("DEBIAN_DEB", "\n".join([
        "package: " + rctx.attr.package,
        "version: " + rctx.attr.version,
        "file: %s sha256=%s" % (deb.basename, actual),
        "",
    ]))
    if rctx.attr.build_file:
        rctx.symlink(rctx.attr.build_file, "BUILD.bazel")
    else:
        rctx.file("BUILD.bazel", _DEFAULT_BUILD)
    rctx.file("WORKSPACE", "workspace(name = \"%s\")\n" % rctx.attr.name)

debian_deb = repository_rule(
    implementation = _debian_deb_impl,
    doc = "One Debian binary package (.deb), fetched with apt-get download, pinned by sha256.",
    attrs = {
        "package": attr.string(mandatory = True, doc = "Debian binary package name."),
        "version": attr.string(mandatory = True, doc = "Exact Debian version, e.g. '20250419~deb12u2'."),
        "sha256": attr.string(mandatory = True, doc = "sha256 of the .deb; the fetch fails on mismatch."),
        "build_file": attr.label(
            allow_single_file = True,
            doc = "BUILD overlay; default: exports package.deb and DEBIAN_DEB.",
        ),
    },
)
