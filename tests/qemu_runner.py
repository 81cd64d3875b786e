#!/usr/bin/python3
"""Boots an aarch64 kernel image under qemu-system-aarch64 (`virt`, `-cpu max`).

One implementation for three uses:
  * `bazel test` of a qemu_test: "checked" mode. Types the script into the serial console,
    echoes the console live, and passes only when every expected string appeared in order AND the
    guest powered off by PSCI SYSTEM_OFF (QMP SHUTDOWN event with reason "guest-shutdown" and
    QEMU exit status 0). On failure the serial log is saved and its tail printed.
  * `bazel run` of a qemu_test: the same, with the console visible on the terminal.
  * `bazel run //:viperdos -- [options]`: "console" mode when there is nothing to expect. The
    serial console is the terminal (Ctrl-A x quits QEMU) or, when stdin is not a terminal, the
    piped input. The exit status is QEMU's (0 after the guest's Shutdown).

Options (all optional; they override the JSON config written by the Bazel rule):
  --net none|user|tap=IFNAME   network backend (user = slirp with restrict=on)
  --fwd RULE                   net=user forward, e.g. tcp:127.0.0.1:8080-:80 (hostfwd) or
                               guest:tcp:10.0.2.100:443-cmd:... (guestfwd); repeatable
  --pcap FILE                  capture guest traffic (QEMU filter-dump)
  --append "ARGS"              kernel command line
  --file HOST:GUEST            put a host file into the guest file system; repeatable
  --timeout SECONDS            give up after this long (exit status 124 in console mode)
  --expect TEXT                (repeatable) replaces the expected strings -> checked mode
  --script LINE                (repeatable) replaces the console script
  --qemu-arg ARG               extra QEMU argument; repeatable
  --log FILE                   where checked mode saves the serial log
  --print-command              print the QEMU command line and exit
"""

import argparse
import json
import os
import re
import select
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time

QEMU = "qemu-system-aarch64"
DEFAULT_MAC = "52:54:00:12:34:56"
TAIL_LINES = 40
INITRD_ADDR = 0x58000000
INITRD_MAGIC = b"VDOSINRD"


def fail_usage(msg):
    sys.stderr.write("qemu_runner: %s\n" % msg)
    sys.exit(2)


def host_path(path):
    """Resolves a user-given path against the directory `bazel run` was started from."""
    if os.path.isabs(path):
        return path
    base = os.environ.get("BUILD_WORKING_DIRECTORY")
    return os.path.join(base, path) if base else os.path.abspath(path)


def parse_args(argv):
    p = argparse.ArgumentParser(description="Boot a ViperDOS image under QEMU.")
    p.add_argument("--config", help="JSON written by qemu_test/qemu_binary")
    p.add_argument("--kernel")
    p.add_argument("--net")
    p.add_argument("--fwd", action="append", default=[])
    p.add_argument("--pcap")
    p.add_argument("--append")
    p.add_argument("--file", action="append", default=[])
    p.add_argument("--timeout", type=float)
    p.add_argument("--expect", action="append")
    p.add_argument("--script", action="append")
    p.add_argument("--qemu-arg", action="append", default=[])
    p.add_argument("--memory")
    p.add_argument("--log")
    p.add_argument("--print-command", action="store_true")
    return p.parse_args(argv)


def load_config(args):
    cfg = {
        "name": "qemu",
        "kernel": None,
        "expect": [],
        "script": [],
        "net": "none",
        "fwd": [],
        "append": "",
        "files": [],
        "qemu_args": [],
        "timeout": 0,
        "memory": "512M",
    }
    if args.config:
        with open(args.config) as f:
            cfg.update(json.load(f))
    if args.kernel:
        cfg["kernel"] = host_path(args.kernel)
    if args.net:
        cfg["net"] = args.net
    cfg["fwd"] = list(cfg["fwd"]) + args.fwd
    if args.append is not None:
        cfg["append"] = args.append
    for spec in args.file:
        host, sep, guest = spec.partition(":")
        if not sep or not host or not guest.startswith("/"):
            fail_usage("--file wants HOST_PATH:/GUEST/PATH, got %r" % spec)
        cfg["files"].append([host_path(host), guest])
    if args.expect is not None:
        cfg["expect"] = args.expect
    if args.script is not None:
        cfg["script"] = args.script
    cfg["qemu_args"] = list(cfg["qemu_args"]) + args.qemu_arg
    if args.memory:
        cfg["memory"] = args.memory
    if not cfg["kernel"]:
        fail_usage("no kernel image (--kernel or --config)")
    if not os.path.isfile(cfg["kernel"]):
        fail_usage("kernel image %r not found" % cfg["kernel"])
    net = cfg["net"]
    if net not in ("none", "user") and not re.match(r"^tap=[A-Za-z0-9_.-]{1,15}$", net):
        fail_usage("--net must be none, user or tap=IFNAME, got %r" % net)
    if cfg["fwd"] and net != "user":
        fail_usage("--fwd needs --net user")
    return cfg


# ----------------------------------------------------------------------------- initrd (cpio)


def cpio_newc(entries):
    """Builds a cpio 'newc' archive from (path, mode, data) tuples (path without leading /)."""
    out = bytearray()

    def add(name, mode, data, ino):
        name_bytes = name.encode() + b"\0"
        fields = [ino, mode, 0, 0, 1, 0, len(data), 0, 0, 0, 0, len(name_bytes), 0]
        out.extend(b"070701" + b"".join(b"%08X" % v for v in fields))
        out.extend(name_bytes)
        out.extend(b"\0" * (-len(out) % 4))
        out.extend(data)
        out.extend(b"\0" * (-len(out) % 4))

    ino = 1
    for name, mode, data in entries:
        add(name, mode, data, ino)
        ino += 1
    add("TRAILER!!!", 0, b"", 0)
    return bytes(out)


def build_initrd(files, directory):
    if not files:
        return None
    dirs = set()
    entries = []
    for host, guest in files:
        parts = [x for x in guest.split("/") if x]
        if not parts or any(x in (".", "..") for x in parts):
            fail_usage("bad guest path %r" % guest)
        for i in range(1, len(parts)):
            d = "/".join(parts[:i])
            if d not in dirs:
                dirs.add(d)
                entries.append((d, 0o040755, b""))
        try:
            with open(host, "rb") as f:
                data = f.read()
        except OSError as e:
            fail_usage("cannot read %r: %s" % (host, e))
        mode = 0o100755 if os.access(host, os.X_OK) else 0o100644
        entries.append(("/".join(parts), mode, data))
    # QEMU ignores -initrd for ELF kernels, so the archive goes in with the generic loader at
    # a fixed address behind a small header (kernel/main.c: INITRD_ADDR).
    archive = cpio_newc(entries)
    path = os.path.join(directory, "initrd.bin")
    with open(path, "wb") as f:
        f.write(INITRD_MAGIC + struct.pack("<Q", len(archive)) + archive)
    return path


# ----------------------------------------------------------------------------- QEMU command


def qemu_command(cfg, serial_args, tmpdir, qmp_path=None, pcap=None):
    cmd = [
        QEMU, "-M", "virt", "-cpu", "max", "-m", cfg["memory"],
        "-nographic", "-nodefaults", "-no-user-config",
        "-kernel", cfg["kernel"],
        # Modern (version 2) virtio-mmio transport instead of QEMU's legacy default.
        "-global", "virtio-mmio.force-legacy=false",
        "-device", "virtio-rng-device",
    ]
    cmd += serial_args
    net = cfg["net"]
    if net == "user":
        opts = ["user", "id=n0", "restrict=on", "ipv6=off", "net=10.0.2.0/24"]
        for rule in cfg["fwd"]:
            if rule.startswith("guest:"):
                opts.append("guestfwd=" + rule[len("guest:"):])
            else:
                opts.append("hostfwd=" + rule)
        cmd += ["-netdev", ",".join(opts)]
    elif net.startswith("tap="):
        cmd += ["-netdev", "tap,id=n0,ifname=%s,script=no,downscript=no" % net[4:]]
    if net != "none":
        cmd += ["-device", "virtio-net-device,netdev=n0,mac=" + DEFAULT_MAC]
        if pcap:
            cmd += ["-object", "filter-dump,id=f0,netdev=n0,file=" + pcap]
    elif pcap:
        fail_usage("--pcap needs a network (--net user or tap=IF)")
    if cfg["append"]:
        cmd += ["-append", cfg["append"]]
    initrd = build_initrd(cfg["files"], tmpdir)
    if initrd:
        cmd += ["-device", "loader,file=%s,addr=0x%x,force-raw=on" % (initrd, INITRD_ADDR)]
    if qmp_path:
        # -S plus wait=on: the guest starts only when the runner has negotiated QMP and sent
        # "cont", so even a guest that powers off at once cannot beat the SHUTDOWN event.
        cmd += ["-S", "-qmp", "unix:%s,server=on,wait=on" % qmp_path]
    return cmd + list(cfg["qemu_args"])


# ----------------------------------------------------------------------------- console mode


def run_console(cfg, args, tmpdir):
    interactive = sys.stdin.isatty()
    if interactive:
        # Ctrl-C goes to the guest; Ctrl-A x quits QEMU (mux with the monitor).
        serial = ["-chardev", "stdio,id=con0,mux=on,signal=off", "-serial", "chardev:con0",
                  "-mon", "chardev=con0,mode=readline"]
    else:
        serial = ["-chardev", "stdio,id=con0,signal=off", "-serial", "chardev:con0"]
    pcap = host_path(args.pcap) if args.pcap else None
    cmd = qemu_command(cfg, serial, tmpdir, pcap=pcap)
    if args.print_command:
        print(" ".join(cmd))
        return 0
    if interactive:
        sys.stderr.write("qemu_runner: console on this terminal; Ctrl-A x quits QEMU\n")
    proc = subprocess.Popen(cmd)
    old = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        return proc.wait(timeout=args.timeout)
    except subprocess.TimeoutExpired:
        stop(proc)
        sys.stderr.write("\nqemu_runner: timeout after %g s\n" % args.timeout)
        return 124
    finally:
        signal.signal(signal.SIGINT, old)


def stop(proc):
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


# ----------------------------------------------------------------------------- checked mode


class Qmp:
    """Minimal QMP client: enough to learn why QEMU shut down."""

    def __init__(self, path, proc, deadline):
        self.sock = None
        self.buf = b""
        self.shutdown_reason = None
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                s.connect(path)
                self.sock = s
                break
            except OSError:
                s.close()
                time.sleep(0.02)
        if self.sock is None:
            return
        self.sock.settimeout(max(1.0, deadline - time.monotonic()))
        try:
            self.sock.sendall(b'{"execute": "qmp_capabilities"}\n')
            self._await_return()
            self.sock.sendall(b'{"execute": "cont"}\n')
            self._await_return()
        except (OSError, ValueError) as e:
            sys.stderr.write("qemu_runner: QMP handshake failed: %s\n" % e)
            self.sock.close()
            self.sock = None
            return
        self.sock.setblocking(False)

    def _await_return(self):
        """Blocks until the reply to the last command; remembers events seen meanwhile."""
        for _ in range(1000):
            while b"\n" not in self.buf:
                data = self.sock.recv(65536)
                if not data:
                    raise OSError("QMP connection closed")
                self.buf += data
            line, self.buf = self.buf.split(b"\n", 1)
            msg = json.loads(line)
            if "return" in msg:
                return
            if "error" in msg:
                raise ValueError("QMP error: %s" % msg["error"])
            if msg.get("event") == "SHUTDOWN":
                self.shutdown_reason = msg.get("data", {}).get("reason")
        raise ValueError("no QMP reply")

    def fileno(self):
        return self.sock.fileno()

    def pump(self):
        """Reads whatever QMP sent; returns False once the connection closed."""
        try:
            data = self.sock.recv(65536)
        except BlockingIOError:
            return True
        except OSError:
            data = b""
        self.buf += data
        # Parse before reporting a close: the last recv may have carried the SHUTDOWN event
        # together with an earlier reply.
        while b"\n" in self.buf:
            line, self.buf = self.buf.split(b"\n", 1)
            try:
                msg = json.loads(line)
            except ValueError:
                continue
            if msg.get("event") == "SHUTDOWN":
                self.shutdown_reason = msg.get("data", {}).get("reason")
        return bool(data)


def decode_escapes(text):
    return re.sub(r"\\x([0-9a-fA-F]{2})", lambda m: chr(int(m.group(1), 16)), text)


class Script:
    """Feeds console lines; '@wait', '@sleep' and '@raw' directives pace it."""

    def __init__(self, lines):
        self.lines = list(lines)
        self.index = 0
        self.wait_pos = 0
        self.sleep_until = 0.0

    def next_output(self, text, now):
        """Returns bytes to type now (possibly b""), consuming directives that are satisfied."""
        out = b""
        while self.index < len(self.lines):
            if now < self.sleep_until:
                break
            line = self.lines[self.index]
            if line.startswith("@wait "):
                found = text.find(line[6:], self.wait_pos)
                if found < 0:
                    break
                self.wait_pos = found + len(line[6:])
            elif line.startswith("@sleep "):
                self.sleep_until = now + float(line[7:])
            elif line.startswith("@raw "):
                out += decode_escapes(line[5:]).encode("latin-1")
            else:
                out += line.encode() + b"\n"
            self.index += 1
        return out

    def pending(self):
        return self.index < len(self.lines)


def checked_timeout(cfg, args):
    timeout = args.timeout or cfg["timeout"] or 0
    test_timeout = os.environ.get("TEST_TIMEOUT")
    if test_timeout:
        # Leave time to save the log before Bazel kills us.
        limit = max(5.0, float(test_timeout) - 10)
        timeout = min(timeout, limit) if timeout else limit
    return timeout or 120.0


def run_checked(cfg, args, tmpdir):
    expects = list(cfg["expect"])
    timeout = checked_timeout(cfg, args)
    qmp_path = os.path.join(tmpdir, "qmp.sock")
    serial = ["-chardev", "stdio,id=con0,signal=off", "-serial", "chardev:con0"]
    pcap = host_path(args.pcap) if args.pcap else None
    cmd = qemu_command(cfg, serial, tmpdir, qmp_path=qmp_path, pcap=pcap)
    if args.print_command:
        print(" ".join(cmd))
        return 0

    start = time.monotonic()
    deadline = start + timeout
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    qmp = Qmp(qmp_path, proc, deadline)
    os.set_blocking(proc.stdin.fileno(), False)
    out_fd = proc.stdout.fileno()

    log = bytearray()
    text = ""  # console text with CRs removed, for matching
    matched = 0
    match_pos = 0
    script = Script(cfg["script"])
    to_type = b""
    timed_out = False
    stdout_open = True
    qmp_open = qmp.sock is not None
    echo = sys.stdout.buffer

    while stdout_open:
        now = time.monotonic()
        if now >= deadline:
            timed_out = True
            break
        to_type += script.next_output(text, now)
        rlist = [out_fd] + ([qmp] if qmp_open else [])
        wlist = [proc.stdin.fileno()] if to_type and proc.stdin else []
        ready_r, ready_w, _ = select.select(rlist, wlist, [], min(0.1, deadline - now))
        if ready_w:
            try:
                n = os.write(proc.stdin.fileno(), to_type)
                to_type = to_type[n:]
            except BlockingIOError:
                pass
            except BrokenPipeError:
                to_type = b""
        if qmp_open and qmp in ready_r:
            qmp_open = qmp.pump()
        if out_fd in ready_r:
            data = os.read(out_fd, 65536)
            if not data:
                stdout_open = False
                continue
            log += data
            echo.write(data)
            echo.flush()
            text += data.decode("utf-8", "replace").replace("\r", "")
            while matched < len(expects):
                found = text.find(expects[matched], match_pos)
                if found < 0:
                    break
                match_pos = found + len(expects[matched])
                matched += 1

    if timed_out:
        stop(proc)
    rc = proc.wait()
    # Pick up a SHUTDOWN event still buffered on the QMP socket.
    while qmp_open and select.select([qmp], [], [], 0.2)[0]:
        qmp_open = qmp.pump()
    elapsed = time.monotonic() - start

    problems = []
    if timed_out:
        problems.append("timeout after %.0f s (guest did not power off)" % timeout)
    if matched < len(expects):
        problems.append("expected text #%d not seen (in order): %r" % (matched + 1,
                                                                     expects[matched]))
    if not timed_out and rc != 0:
        problems.append("QEMU exit status %d" % rc)
    if not timed_out and qmp.shutdown_reason != "guest-shutdown":
        problems.append("guest did not power off by PSCI (QMP shutdown reason: %s)" %
                        qmp.shutdown_reason)
    if script.pending():
        problems.append("script stopped at line %d: %r" % (script.index + 1,
                                                          script.lines[script.index]))

    log_path = args.log and host_path(args.log)
    if not log_path and os.environ.get("TEST_UNDECLARED_OUTPUTS_DIR"):
        log_path = os.path.join(os.environ["TEST_UNDECLARED_OUTPUTS_DIR"], "serial.log")
    if log_path:
        with open(log_path, "wb") as f:
            f.write(log)

    name = cfg.get("name", "qemu")
    if not problems:
        sys.stderr.write("\nqemu_runner: PASS %s: %d expected lines seen, guest powered off "
                         "(%.1f s)\n" % (name, len(expects), elapsed))
        return 0
    tail = log.decode("utf-8", "replace").replace("\r", "").splitlines()[-TAIL_LINES:]
    sys.stderr.write("\nqemu_runner: FAIL %s after %.1f s\n" % (name, elapsed))
    for p in problems:
        sys.stderr.write("  - %s\n" % p)
    sys.stderr.write("  serial log: %s\n" % (log_path or "(not saved)"))
    sys.stderr.write("---- last %d console lines ----\n" % len(tail))
    for line in tail:
        sys.stderr.write(line + "\n")
    sys.stderr.write("---- end ----\n")
    return 1


def main(argv):
    args = parse_args(argv)
    cfg = load_config(args)
    tmpdir = tempfile.mkdtemp(prefix="vdos-qemu-", dir="/tmp")
    try:
        if cfg["expect"]:
            return run_checked(cfg, args, tmpdir)
        return run_console(cfg, args, tmpdir)
    finally:
        for entry in os.listdir(tmpdir):
            os.unlink(os.path.join(tmpdir, entry))
        os.rmdir(tmpdir)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
