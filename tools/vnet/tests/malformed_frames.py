"""Sends malformed frames (the kinds behind AMNESIA:33 / Ripple20 / FragmentSmack) to a TAP
device through an AF_PACKET socket: vnet, on the other end, must drop them all and keep working.
Usage: malformed_frames.py IFNAME DST_MAC DST_IP SRC_IP COUNT SEED"""
import random
import socket
import struct
import sys
import time


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def ip4(a):
    return socket.inet_aton(a)


def ip_hdr(src, dst, proto, payload_len, ihl=5, ident=1, flags_frag=0, ttl=64, opts=b"",
           total=None, fix=True):
    total = 20 + len(opts) + payload_len if total is None else total
    h = struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, 0, total & 0xFFFF, ident, flags_frag, ttl, proto,
                    0, src, dst) + opts
    if fix:
        h = h[:10] + struct.pack("!H", csum(h)) + h[12:]
    return h


def main():
    ifname, dst_mac, dst_ip, src_ip, count, seed = sys.argv[1:7]
    count, rnd = int(count), random.Random(int(seed))
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((ifname, 0))
    dmac = bytes.fromhex(dst_mac.replace(":", ""))
    smac = s.getsockname()[4][:6]
    D, S = ip4(dst_ip), ip4(src_ip)

    def eth(payload, etype=0x0800):
        return dmac + smac + struct.pack("!H", etype) + payload

    def ping(ident=7, seq=1, data=b"x" * 16):
        icmp = struct.pack("!BBHHH", 8, 0, 0, ident, seq) + data
        icmp = icmp[:2] + struct.pack("!H", csum(icmp)) + icmp[4:]
        return ip_hdr(S, D, 1, len(icmp)) + icmp

    gens = []

    def gen(f):
        gens.append(f)
        return f

    @gen
    def bad_ihl():
        p = bytearray(ping())
        p[0] = 0x40 | rnd.choice([0, 1, 4, 6, 15])
        return eth(bytes(p))

    @gen
    def bad_total():
        body = b"y" * 20
        return eth(ip_hdr(S, D, 17, len(body), total=rnd.choice([0, 5, 19, 100, 65535])) + body)

    @gen
    def bad_options():
        opt = rnd.choice([b"\x88\x00\x00\x00", b"\x88\x01\x00\x00", b"\x07\x28\x04\x00",
                          b"\x83\xff\x00\x00", b"\x01\x01\x01\x44"])
        return eth(ip_hdr(S, D, 17, 8, ihl=6, opts=opt) + b"\0" * 8)

    @gen
    def overlapping_frags():
        ident = rnd.randrange(65536)
        a = ip_hdr(S, D, 1, 64, ident=ident, flags_frag=0x2000) + b"A" * 64
        off = rnd.choice([1, 2, 4, 7])  # in 8-byte units: overlaps the first
        b = ip_hdr(S, D, 1, 64, ident=ident, flags_frag=off) + b"B" * 64
        return [eth(a), eth(b)]

    @gen
    def huge_offset():
        return eth(ip_hdr(S, D, 1, 64, ident=rnd.randrange(65536), flags_frag=0x1FFF) + b"C" * 64)

    @gen
    def tiny_frags():
        ident = rnd.randrange(65536)
        return [eth(ip_hdr(S, D, 17, 8, ident=ident, flags_frag=0x2000 | (2 * i)) + b"D" * 8)
                for i in range(100)]

    @gen
    def zero_len_frag():
        return eth(ip_hdr(S, D, 17, 0, ident=rnd.randrange(65536), flags_frag=0x2000 | 5))

    @gen
    def evil_bit():
        return eth(ip_hdr(S, D, 1, 8, flags_frag=0x8000) + b"\0" * 8)

    @gen
    def icmp_truncated():
        data = bytes([rnd.choice([0, 3, 8, 11, 12])]) + b"\0" * rnd.randrange(0, 7)
        return eth(ip_hdr(S, D, 1, len(data)) + data)

    @gen
    def icmp_error_bad_quote():
        quoted = bytearray(ip_hdr(D, S, 17, 8))[: rnd.randrange(0, 28)]
        if quoted:
            quoted[0] = 0x40 | rnd.choice([5, 15, 2])
        icmp = struct.pack("!BBHI", 3, 3, 0, 0) + bytes(quoted)
        icmp = icmp[:2] + struct.pack("!H", csum(icmp)) + icmp[4:]
        return eth(ip_hdr(S, D, 1, len(icmp)) + icmp)

    @gen
    def udp_bad_len():
        ulen = rnd.choice([0, 1, 7, 9, 200, 65535])
        u = struct.pack("!HHHH", 1234, 7, ulen, 0) + b"z"
        return eth(ip_hdr(S, D, 17, len(u)) + u)

    @gen
    def arp_weird():
        a = struct.pack("!HHBBH", rnd.choice([1, 6]), rnd.choice([0x800, 0x86DD]),
                        rnd.choice([0, 6, 255]), rnd.choice([0, 4, 16]), rnd.choice([0, 1, 2, 9]))
        a += smac + S + b"\0" * 6 + D
        return eth(a[: rnd.randrange(0, len(a) + 1)], 0x0806)

    @gen
    def runt():
        return (dmac + smac)[: rnd.randrange(0, 14)]

    @gen
    def odd_ethertype():
        return eth(ping(), rnd.choice([0x0000, 0x0040, 0x05DC, 0x88CC, 0xFFFF]))

    @gen
    def bit_flip():
        f = bytearray(eth(ping(seq=rnd.randrange(65536))))
        for _ in range(rnd.randrange(1, 4)):
            i = rnd.randrange(14, len(f))
            f[i] ^= 1 << rnd.randrange(8)
        return bytes(f)

    sent = 0
    while sent < count:
        frames = rnd.choice(gens)()
        for f in frames if isinstance(frames, list) else [frames]:
            try:
                s.send(f)
            except OSError:
                pass  # the kernel refuses some runts; that is fine
            sent += 1
            # Paced: the TAP queue holds ~1000 frames; the point is vnet's parsing, not overflow.
            if sent % 100 == 0:
                time.sleep(0.01)
    print("sent %d malformed frames" % sent)


if __name__ == "__main__":
    main()
