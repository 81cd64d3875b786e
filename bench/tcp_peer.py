#!/usr/bin/python3
"""Linux-side TCP peer for bench/tcp.sh: the same sender, sink and echo on every path.

  sink PORT                      accept one connection, read to EOF; print "BYTES SECONDS"
  send HOST PORT BYTES           connect, send BYTES zeros, half-close, wait for the peer's
                                 close; print "BYTES SECONDS"
  echo-server PORT               accept one connection, echo everything back until EOF
  echo-client HOST PORT BYTES    send BYTES while reading the echo; print "BYTES SECONDS" for the
                                 whole round trip (last echoed byte received)

Times are wall-clock from connect/accept to the end. Buffers are 256 KiB so Python's per-call cost
is small next to the network path being measured.
"""
import socket
import sys
import threading
import time

CHUNK = 256 * 1024


def die(msg):
    print("tcp_peer: " + msg, file=sys.stderr)
    sys.exit(2)


def count(s):
    return int(s) if s.isdigit() else die("bad number " + s)


def listen(port):
    ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(("0.0.0.0", port))
    ls.listen(1)
    print("listening", flush=True)
    c, _ = ls.accept()
    ls.close()
    return c


def drain(c):
    buf = bytearray(CHUNK)
    total = 0
    while True:
        n = c.recv_into(buf)
        if n == 0:
            return total
        total += n


def send_all(c, nbytes):
    data = bytes(CHUNK)
    left = nbytes
    while left > 0:
        k = min(left, CHUNK)
        c.sendall(data[:k] if k < CHUNK else data)
        left -= k
    c.shutdown(socket.SHUT_WR)


def main(argv):
    if len(argv) < 2:
        die("usage: sink PORT | send HOST PORT BYTES | echo-server PORT | echo-client HOST PORT BYTES")
    cmd = argv[1]
    if cmd == "sink" and len(argv) == 3:
        c = listen(count(argv[2]))
        t0 = time.monotonic()
        n = drain(c)
        print(n, "%.3f" % (time.monotonic() - t0))
    elif cmd == "send" and len(argv) == 5:
        n = count(argv[4])
        t0 = time.monotonic()
        c = socket.create_connection((argv[2], count(argv[3])), timeout=120)
        send_all(c, n)
        drain(c)  # the peer's close: everything has been acknowledged and consumed
        print(n, "%.3f" % (time.monotonic() - t0))
    elif cmd == "echo-server" and len(argv) == 3:
        c = listen(count(argv[2]))
        buf = bytearray(CHUNK)
        while True:
            k = c.recv_into(buf)
            if k == 0:
                break
            c.sendall(memoryview(buf)[:k])
        c.shutdown(socket.SHUT_WR)
    elif cmd == "echo-client" and len(argv) == 5:
        n = count(argv[4])
        t0 = time.monotonic()
        c = socket.create_connection((argv[2], count(argv[3])), timeout=120)
        t = threading.Thread(target=send_all, args=(c, n))
        t.start()
        got = drain(c)
        t.join()
        if got != n:
            die("echo returned %d of %d bytes" % (got, n))
        print(n, "%.3f" % (time.monotonic() - t0))
    else:
        die("bad arguments: " + " ".join(argv[1:]))


if __name__ == "__main__":
    main(sys.argv)
