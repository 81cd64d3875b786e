#!/usr/bin/python3
"""mkinitrd.py OUT [--strip=LLVM_STRIP] SRC=/guest/path ...: writes a cpio newc archive
(directories included). With --strip, ELF programs are stored without symbols/debug info."""
import os
import subprocess
import sys
import tempfile


def main(argv):
    out = argv[1]
    entries, dirs = [], set()
    strip = None
    specs = argv[2:]
    if specs and specs[0].startswith("--strip="):
        strip = specs.pop(0)[len("--strip="):]
    for spec in specs:
        src, dest = spec.split("=", 1)
        parts = [p for p in dest.split("/") if p]
        for i in range(1, len(parts)):
            d = "/".join(parts[:i])
            if d not in dirs:
                dirs.add(d)
                entries.append((d, 0o040755, b""))
        with open(src, "rb") as f:
            data = f.read()
        if strip and data[:4] == b"\x7fELF":
            with tempfile.TemporaryDirectory() as tmp:
                out_path = os.path.join(tmp, "prog")
                subprocess.run([strip, "--strip-all", "-o", out_path, src], check=True)
                with open(out_path, "rb") as f:
                    data = f.read()
        mode = 0o100755 if os.access(src, os.X_OK) else 0o100644
        entries.append(("/".join(parts), mode, data))
    blob = bytearray()
    for ino, (name, mode, data) in enumerate(entries + [("TRAILER!!!", 0, b"")], 1):
        nb = name.encode() + b"\0"
        fields = [ino, mode, 0, 0, 1, 0, len(data), 0, 0, 0, 0, len(nb), 0]
        blob += b"070701" + b"".join(b"%08X" % v for v in fields) + nb
        blob += b"\0" * (-len(blob) % 4)
        blob += data
        blob += b"\0" * (-len(blob) % 4)
    with open(out, "wb") as f:
        f.write(blob)


if __name__ == "__main__":
    main(sys.argv)
