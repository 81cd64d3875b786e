"""Linux-side peers for vnet's TCP tests (run with Debian's /usr/bin/python3).

Each subcommand exercises one behaviour against vnet and exits non-zero with a message on any
mismatch. The test pattern is byte i = i % 251.
"""
import hashlib
import resource
import socket
import struct
import sys
import time


def pattern(n, start=0):
    base = bytes(range(251))
    out = bytearray()
    off = start % 251
    while len(out) < n:
        out += base[off:]
        off = 0
    return bytes(out[:n])


def fail(msg):
    print("FAIL: " + msg, file=sys.stderr)
    sys.exit(1)


def recv_all(s):
    chunks = []
    while True:
        b = s.recv(65536)
        if not b:
            return b"".join(chunks)
        chunks.append(b)


def half_close(host, port, n):
    """Send n bytes to an echo service, half-close, read the echo to end of stream."""
    s = socket.create_connection((host, port), timeout=30)
    data = pattern(n, 3)
    s.sendall(data)
    s.shutdown(socket.SHUT_WR)
    got = recv_all(s)
    s.close()
    if got != data:
        fail("half-close echo: sent %d bytes, got %d back (equal=%s)" % (n, len(got), got == data))
    print("half-close echo ok: %d bytes" % n)


def send_rst(host, port):
    """Send some bytes, then abort with RST (SO_LINGER 0)."""
    s = socket.create_connection((host, port), timeout=10)
    s.sendall(pattern(10000))
    time.sleep(0.2)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    s.close()
    print("sent RST")


def rst_server(port):
    """Accept one connection and reset it at once (for `vnet recv`)."""
    ls = socket.socket()
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(("0.0.0.0", port))
    ls.listen(1)
    print("ready", flush=True)
    c, _ = ls.accept()
    c.sendall(pattern(5000))
    time.sleep(0.2)
    c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    c.close()


def slow_reader(port, n, pause):
    """Accept one connection with a small receive buffer, read nothing for `pause` seconds
    (the window closes, vnet must probe), then read everything and check the pattern."""
    ls = socket.socket()
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    ls.bind(("0.0.0.0", port))
    ls.listen(1)
    print("ready", flush=True)
    c, _ = ls.accept()
    time.sleep(pause)
    got = recv_all(c)
    c.close()
    if got != pattern(n):
        fail("slow reader: got %d of %d bytes, equal=%s" % (len(got), n, got == pattern(n)))
    print("slow reader ok: %d bytes after a %.1f s stall" % (n, pause))


def many(host, port, count):
    """Open `count` concurrent connections to an echo service, then use every one."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = count + 64
    if soft < want:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(want, hard), hard))
    socks = []
    for i in range(count):
        s = socket.create_connection((host, port), timeout=30)
        socks.append(s)
    for i, s in enumerate(socks):
        s.sendall(b"conn %06d\n" % i)
    for i, s in enumerate(socks):
        want = b"conn %06d\n" % i
        got = b""
        while len(got) < len(want):
            b = s.recv(len(want) - len(got))
            if not b:
                break
            got += b
        if got != want:
            fail("connection %d echoed %r" % (i, got))
    for s in socks:
        s.close()
    print("%d concurrent connections ok" % count)


def pattern_sha(n):
    h = hashlib.sha256()
    block = pattern(251 * 4096)
    full, rest = divmod(n, len(block))
    for _ in range(full):
        h.update(block)
    h.update(block[:rest])
    print(h.hexdigest())


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "half-close":
        half_close(args[0], int(args[1]), int(args[2]))
    elif cmd == "send-rst":
        send_rst(args[0], int(args[1]))
    elif cmd == "rst-server":
        rst_server(int(args[0]))
    elif cmd == "slow-reader":
        slow_reader(int(args[0]), int(args[1]), float(args[2]))
    elif cmd == "many":
        many(args[0], int(args[1]), int(args[2]))
    elif cmd == "pattern-sha":
        pattern_sha(int(args[0]))
    else:
        fail("unknown command " + cmd)


if __name__ == "__main__":
    main()
