#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Known-answer vectors for gem_crypto_seal, computed independently of the kernel.

Builds an IPv4 and an IPv6 UDP packet, seals them as
Documentation/gem/wire-format.rst says (the AEAD key is the stream's own,
HKDF-Expand of the stream key over the stream), with the Python "cryptography"
package (Debian: python3-cryptography), and prints the C arrays used by
kmod/tests/crypto_test.c. Rerun it when the wire format changes.
"""

import hashlib
import hmac
import ipaddress
import struct

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

SEK = bytes(range(0x40, 0x60))          # 32 bytes
TAGKEY = bytes(range(0x80, 0xa0))       # 32 bytes
KEY_ID = 3
PN = 0x0102030405060708
PAYLOAD = b"GEM known-answer payload, 40 bytes long."
assert len(PAYLOAD) == 40


def ip4_checksum(hdr):
    s = sum(struct.unpack("!10H", hdr))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff


def ip4(src, dst, udp):
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 0x1234, 0, 7, 17, 0,
                      ipaddress.IPv4Address(src).packed, ipaddress.IPv4Address(dst).packed)
    return hdr[:10] + struct.pack("!H", ip4_checksum(hdr)) + hdr[12:]


def ip6(src, dst, udp):
    return struct.pack("!IHBB16s16s", 0x60000000, len(udp), 17, 7,
                       ipaddress.IPv6Address(src).packed, ipaddress.IPv6Address(dst).packed) + udp


def stream_key(family, src, dst, key_id):
    """HKDF-Expand(SEK, "GEM stream key v1" | family | src | group | key id, 32)."""
    info = (b"GEM stream key v1" + bytes([family]) + ipaddress.ip_address(src).packed +
            ipaddress.ip_address(dst).packed + bytes([key_id]))
    return hmac.new(SEK, info + b"\x01", hashlib.sha256).digest()


def fingerprint():
    return hmac.new(SEK, b"GEM key fingerprint v1", hashlib.sha256).digest()[:16]


def seal(family, src, dst):
    sport, dport = 5000, 6000
    gemh = struct.pack("!BBQ", 0x10, KEY_ID, PN)
    udplen = 8 + len(gemh) + len(PAYLOAD) + 32
    udph = struct.pack("!HHHH", sport, dport, udplen, 0)
    nonce = bytes([KEY_ID, 0, 0, 0]) + struct.pack("!Q", PN)
    ct = AESGCM(stream_key(family, src, dst, KEY_ID)).encrypt(nonce, PAYLOAD, udph + gemh)
    aead_tag = ct[-16:]
    a = ipaddress.ip_address(src).packed + ipaddress.ip_address(dst).packed
    gak = hmac.new(TAGKEY, a + udph[:4] + gemh + aead_tag, hashlib.sha256).digest()[:16]
    udp = udph + gemh + ct + gak
    if family == 4:
        return ip4(src, dst, udp)[:20] + udp
    return ip6(src, dst, udp)


def plain(family, src, dst):
    udp = struct.pack("!HHHH", 5000, 6000, 8 + len(PAYLOAD), 0) + PAYLOAD
    if family == 4:
        return ip4(src, dst, udp)[:20] + udp
    return ip6(src, dst, udp)


def carray(name, data):
    lines = [f"static const u8 {name}[] = {{"]
    for i in range(0, len(data), 12):
        lines.append("\t" + " ".join(f"0x{b:02x}," for b in data[i:i + 12]))
    lines.append("};")
    return "\n".join(lines) + "\n"


for fam, src, dst in ((4, "198.51.100.1", "239.1.2.3"), (6, "2001:db8::1", "ff3e::4321")):
    print(carray(f"gem_kat_plain{fam}", plain(fam, src, dst)))
    print(carray(f"gem_kat_sealed{fam}", seal(fam, src, dst)))
    print(carray(f"gem_kat_stream_key{fam}", stream_key(fam, src, dst, KEY_ID)))
print(carray("gem_kat_fingerprint", fingerprint()))
