#!/usr/bin/env python3
"""TLS 1.3 peers (Python ssl) for the guest TLS tests and the benchmark.

  tls_peer.py echo CERT KEY HOST PORT   returns every byte until the client's close_notify,
                                        then sends its own; serves one connection after another
  tls_peer.py sink CERT KEY HOST PORT   reads each connection to close_notify and prints
                                        "sink: N bytes sha256 HEX"; serves one after another
  tls_peer.py truncate CERT KEY HOST PORT
                                        reads a request, answers part of a response and closes
                                        TCP without close_notify (the truncation case)

Both follow the client's suite order, as openssl s_server does (Python's default is its own).
"""
import hashlib
import socket
import ssl
import sys


def serve(cert, key, host, port, handle):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_3
    ctx.load_cert_chain(cert, key)
    ctx.options &= ~ssl.OP_CIPHER_SERVER_PREFERENCE
    srv = socket.create_server((host, int(port)))
    while True:
        raw, _ = srv.accept()
        try:
            handle(ctx.wrap_socket(raw, server_side=True))
        except (OSError, ssl.SSLError):
            raw.close()


def echo(s):
    while True:
        b = s.recv(65536)
        if not b:
            break
        s.sendall(b)
    s.unwrap().close()


def sink(s):
    h, n = hashlib.sha256(), 0
    while True:
        try:
            b = s.recv(1 << 20)
        except ssl.SSLZeroReturnError:
            break
        if not b:
            break
        h.update(b)
        n += len(b)
    print("sink: %d bytes sha256 %s" % (n, h.hexdigest()), flush=True)
    s.close()


def truncate(s):
    s.recv(4096)
    s.sendall(b"HTTP/1.0 200 OK\r\n\r\npartial body")
    s.close()  # without unwrap(): the TCP connection ends with no close_notify


MODES = {"echo": echo, "sink": sink, "truncate": truncate}

if __name__ == "__main__":
    if len(sys.argv) != 6 or sys.argv[1] not in MODES:
        sys.exit(__doc__)
    serve(*sys.argv[2:], handle=MODES[sys.argv[1]])
