#!/usr/bin/env python3
"""Linux side of //bench:qemu_net: the services the guest benchmark (qemu_net_guest.c) uses.

  9000 accept and close at once   (connect timing)
  9001 echo, TCP_NODELAY          (small-message round trips)
  9002 sink: read to end, close   (bulk guest -> Linux)
  9003 source: send N bytes, close (bulk Linux -> guest)
  9004 burst: 2000 messages of 64 bytes at once, then wait for the close (recv() cost)

Usage: qemu_net_peer.py BIND_ADDR BULK_BYTES
"""
import socket
import sys
import threading

CHUNK = 256 * 1024


def serve(addr, port, handler, inline=False):
    ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((addr, port))
    ls.listen(64)

    def loop():
        while True:
            conn, _ = ls.accept()
            if inline:
                # Handlers that never block run here: a thread per connection would put Python
                # thread start-up on the host's cores while the guest times its next connect.
                handler(conn)
            else:
                threading.Thread(target=handler, args=(conn,), daemon=True).start()

    threading.Thread(target=loop, daemon=True).start()


def close_now(conn):
    conn.close()


def echo(conn):
    conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    with conn:
        while True:
            data = conn.recv(CHUNK)
            if not data:
                return
            conn.sendall(data)


def sink(conn):
    with conn:
        while conn.recv(CHUNK):
            pass


BURST = b"m" * 64 * 2000  # qemu_net_guest.c: BURST_MSGS * SMALL_MSG


def burst(conn):
    with conn:
        conn.sendall(BURST)
        while conn.recv(CHUNK):
            pass


def main():
    addr, bulk = sys.argv[1], int(sys.argv[2])
    block = b"s" * CHUNK

    def source(conn):
        with conn:
            left = bulk
            while left > 0:
                n = min(left, CHUNK)
                conn.sendall(block[:n])
                left -= n

    serve(addr, 9000, close_now, inline=True)
    serve(addr, 9001, echo)
    serve(addr, 9002, sink)
    serve(addr, 9003, source)
    serve(addr, 9004, burst)
    print("qemu_net_peer: ready", flush=True)
    threading.Event().wait()


if __name__ == "__main__":
    main()
