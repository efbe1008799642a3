#!/usr/bin/env python3
"""Independent generator of the golden packets in GoldenPacketTest.java.

Written separately from the Java encoder (plain struct packing and a word-at-a-time RFC 1071
checksum) so the two cross-check each other. Run: python3 make_golden.py
"""
import ipaddress
import struct


def csum_sum(data):
    if len(data) % 2:
        data += b"\0"
    total = 0
    for i in range(0, len(data), 2):
        total += (data[i] << 8) | data[i + 1]
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return total


def checksum(data):
    return (~csum_sum(data)) & 0xFFFF


def ip4(s):
    return ipaddress.IPv4Address(s).packed


def ip6(s):
    return ipaddress.IPv6Address(s).packed


def ipv4_header(src, dst, proto, payload_len, ident=0, df=True, ttl=64, tos=0):
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, tos, 20 + payload_len, ident, 0x4000 if df else 0, ttl, proto, 0,
                      ip4(src), ip4(dst))
    c = checksum(hdr)
    return hdr[:10] + struct.pack("!H", c) + hdr[12:]


def ipv6_header(src, dst, nh, payload_len, flow=0, hop=64, tc=0):
    first = (6 << 28) | (tc << 20) | flow
    return struct.pack("!IHBB16s16s", first, payload_len, nh, hop, ip6(src), ip6(dst))


def pseudo4(src, dst, proto, length):
    return ip4(src) + ip4(dst) + struct.pack("!BBH", 0, proto, length)


def pseudo6(src, dst, proto, length):
    return ip6(src) + ip6(dst) + struct.pack("!IxxxB", length, proto)


def tcp_segment(pseudo_fn, src, dst, sport, dport, seq, flags, payload):
    hdr = struct.pack("!HHIIBBHHH", sport, dport, seq, 0, 5 << 4, flags, 65535, 0, 0)
    seg = hdr + payload
    c = checksum(pseudo_fn(src, dst, 6, len(seg)) + seg)
    return seg[:16] + struct.pack("!H", c) + seg[18:]


def udp_datagram(pseudo_fn, src, dst, sport, dport, payload, compute=True):
    length = 8 + len(payload)
    dgram = struct.pack("!HHHH", sport, dport, length, 0) + payload
    if compute:
        c = checksum(pseudo_fn(src, dst, 17, length) + dgram)
        c = 0xFFFF if c == 0 else c
        dgram = dgram[:6] + struct.pack("!H", c) + dgram[8:]
    return dgram


def inner4_tcp():
    seg = tcp_segment(pseudo4, "192.168.1.10", "192.168.1.20", 12345, 80, 1000, 0x02, b"")
    return ipv4_header("192.168.1.10", "192.168.1.20", 6, len(seg), ident=0x1234) + seg


def inner4_udp(payload):
    d = udp_datagram(pseudo4, "192.168.1.10", "192.168.1.20", 5353, 53, payload)
    return ipv4_header("192.168.1.10", "192.168.1.20", 17, len(d), ident=0x0042) + d


def inner6_udp():
    d = udp_datagram(pseudo6, "fd00::10", "fd00::20", 5353, 53, b"hello")
    return ipv6_header("fd00::10", "fd00::20", 17, len(d)) + d


def udp_tunnel4(src, dst, sport, dport, payload, compute):
    d = udp_datagram(pseudo4, src, dst, sport, dport, payload, compute)
    return ipv4_header(src, dst, 17, len(d)) + d


def udp_tunnel6(src, dst, sport, dport, payload, flow):
    d = udp_datagram(pseudo6, src, dst, sport, dport, payload, True)
    return ipv6_header(src, dst, 17, len(d), flow=flow) + d


def gre(proto, payload, with_csum):
    if not with_csum:
        return struct.pack("!HH", 0, proto) + payload
    body = struct.pack("!HHHH", 0x8000, proto, 0, 0) + payload
    c = checksum(body)
    return body[:4] + struct.pack("!H", c) + body[6:]


def show(name, data):
    print(f"{name} ({len(data)} bytes):")
    print(data.hex())


inner = inner4_tcp()
show("inner IPv4 TCP SYN", inner)
show("GUE v0, outer IPv4, UDP csum 0", udp_tunnel4("10.0.0.1", "10.0.0.2", 40000, 6080,
                                                   struct.pack("!BBH", 0, 4, 0) + inner, False))
show("GUE v0, outer IPv4, UDP csum computed", udp_tunnel4("10.0.0.1", "10.0.0.2", 40000, 6080,
                                                          struct.pack("!BBH", 0, 4, 0) + inner, True))

# REMCSUM: the inner UDP checksum field holds the pseudo-header sum, as CHECKSUM_PARTIAL leaves it
udp_inner = inner4_udp(b"remote csum!")
l4len = len(udp_inner) - 20
partial = csum_sum(pseudo4("192.168.1.10", "192.168.1.20", 17, l4len))
udp_inner = udp_inner[:26] + struct.pack("!H", partial) + udp_inner[28:]
gue_rem = bytes.fromhex("020400018000000000140 01a".replace(" ", ""))
show("GUE v0 + REMCSUM, outer IPv4, UDP csum computed", udp_tunnel4("10.0.0.1", "10.0.0.2", 40000, 6080,
                                                                    gue_rem + udp_inner, True))

show("GUE v1, outer IPv6, inner IPv6 UDP", udp_tunnel6("2001:db8::1", "2001:db8::2", 50000, 6080, inner6_udp(), 0x12345))
show("FOU ipproto 4, outer IPv4, UDP csum computed", udp_tunnel4("10.0.0.1", "10.0.0.2", 40001, 5555, inner, True))

g = gre(0x0800, inner, True)
show("GRE with checksum, outer IPv4", ipv4_header("10.0.0.1", "10.0.0.2", 47, len(g)) + g)
g6 = gre(0x86DD, inner6_udp(), False)
show("GRE without checksum, outer IPv6", ipv6_header("2001:db8::1", "2001:db8::2", 47, len(g6), flow=0x12345) + g6)
