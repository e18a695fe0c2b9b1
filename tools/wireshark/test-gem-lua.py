#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Host-side test of gem.lua: builds a capture of GEM and Babel packets,
well-formed and not, runs tshark with the dissector on it and checks what
it decodes. Prints TAP; exits 1 if a check failed. Needs tshark (a skip
if it is missing, as on a machine without scripts/install-deps).

The VM selftest (selftests/gem/wireshark.sh) does the same on packets
gem.ko and gemd made; this one needs no VM, covers IPv6, items split in
two fragments and the malformed cases byte by byte, and catches a Lua
error in seconds.
"""

import os
import shutil
import struct
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
LUA = os.path.join(HERE, "gem.lua")
PN = 1_700_000_000_123_456_789	# a time of day in ns, as gem.ko numbers
ORIGIN = bytes(range(1, 9))
SEQNO = 1_700_000_000_123	# ms


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def udp(src, dst, sport, dport, payload):
    """A UDP header and payload, its checksum over the pseudo-header."""
    length = 8 + len(payload)
    if len(src) == 4:
        pseudo = src + dst + struct.pack("!BBH", 0, 17, length)
    else:
        pseudo = src + dst + struct.pack("!IxxxB", length, 17)
    hdr = struct.pack("!HHHH", sport, dport, length, 0)
    c = csum(pseudo + hdr + payload) or 0xffff
    return struct.pack("!HHHH", sport, dport, length, c) + payload


def ip_udp(src, dst, sport, dport, payload):
    """An IPv4 or IPv6 header (by the addresses' length) and UDP."""
    seg = udp(src, dst, sport, dport, payload)
    if len(src) == 16:
        return struct.pack("!IHBB16s16s", 6 << 28, len(seg), 17, 1, src, dst) + seg
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(seg), 1, 0, 8, 17, 0, src, dst)
    return hdr[:10] + struct.pack("!H", csum(hdr)) + hdr[12:] + seg


def eth(packet):
    ethertype = 0x86dd if packet[0] >> 4 == 6 else 0x800
    return b"\x01\x00\x5e\x01\x02\x03" + b"\x02\0\0\0\0\1" + struct.pack("!H", ethertype) + packet


def v4(a):
    return bytes(int(x) for x in a.split("."))


def v6(a):
    import ipaddress
    return ipaddress.IPv6Address(a).packed


def gem_payload(key_id, pn, text_len, ver_flags=0x10):
    return struct.pack("!BBQ", ver_flags, key_id, pn) + b"\xc7" * text_len + b"\xa5" * 16 + b"\x5a" * 16


def item(kind, body, group_scoped):
    hdr = struct.pack("!BB8sQH", kind, 1, ORIGIN, SEQNO, 600)
    return hdr + body + (b"\x11" * 32 if group_scoped else b"") + b"\x22" * 64


def frags(it, tag=0xdeadbeef):
    chunks = [it[i:i + 233] for i in range(0, len(it), 233)]
    out = []
    for i, c in enumerate(chunks):
        body = struct.pack("!BB8sQI", it[0], i << 4 | len(chunks), ORIGIN, SEQNO, tag) + c
        out.append(bytes([224, len(body)]) + body)
    return out


def babel(tlvs):
    body = b"".join(tlvs)
    return struct.pack("!BBH", 42, 2, len(body)) + body


def babel_frame(tlvs):
    return eth(ip_udp(v6("fe80::1"), v6("ff02::1:6"), 6696, 6696, babel(tlvs)))


def write_pcap(path, frames):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for i, fr in enumerate(frames):
            wire = len(fr)
            if isinstance(fr, tuple):	# (frame, snap length)
                wire, fr = len(fr[0]), fr[0][:fr[1]]
            f.write(struct.pack("<IIII", 1_700_000_000 + i, 0, len(fr), wire) + fr)


def frames():
    hello = bytes([4, 6]) + struct.pack("!HHH", 0, 1, 50)
    pubkey = item(1, b"\x33" * 32, False)
    sek = item(4, b"\x04" + v4("192.0.2.1") + b"\x04" + v4("239.1.2.3") + b"\x02"
               + b"\x09" + b"\x44" * 72 + b"\x08" + b"\x55" * 72, True)
    sub6 = item(3, b"\x06" + v6("ff3e::") + bytes([16]), True)
    req_all = bytes([225, 0])
    req_one = bytes([225, 13, 4]) + ORIGIN + struct.pack("!I", 0xdeadbeef)
    g = v4("239.1.2.3")
    return [
        # 1-3: well-formed GEM, IPv4 (two packet numbers) and IPv6
        eth(ip_udp(v4("192.0.2.1"), g, 5000, 5000, gem_payload(7, PN, 20))),
        eth(ip_udp(v4("192.0.2.1"), g, 5000, 5000, gem_payload(7, PN + 1, 0))),
        eth(ip_udp(v6("2001:db8::1"), v6("ff3e::4321"), 4321, 4321, gem_payload(3, PN, 100))),
        # 4: a truncated header, 5: another version, 6: a flag, 7: pn 2^64 - 1
        eth(ip_udp(v4("192.0.2.1"), g, 5000, 5000, b"\x10\x07\0\0\0")),
        eth(ip_udp(v4("192.0.2.1"), g, 5000, 5000, gem_payload(7, PN, 10, 0x20))),
        eth(ip_udp(v4("192.0.2.1"), g, 5000, 5000, gem_payload(7, PN, 10, 0x11))),
        eth(ip_udp(v4("192.0.2.1"), g, 5000, 5000, gem_payload(7, 2**64 - 1, 10))),
        # 8: ordinary multicast that starts like GEM, its pn no time of day
        eth(ip_udp(v4("192.0.2.1"), v4("239.255.0.1"), 5000, 5000, gem_payload(7, 5, 10))),
        # 9: a valid GEM header, but unicast
        eth(ip_udp(v4("192.0.2.1"), v4("192.0.2.2"), 5000, 5000, gem_payload(7, PN, 10))),
        # 10: Babel with a Hello, a Public Key, an SEK Announce in two
        # fragments, a Subscription (IPv6) and two Requests
        babel_frame([hello] + frags(pubkey) + frags(sek) + frags(sub6, 0x1234) + [req_all, req_one]),
        # 11: Babel with a fragment of count 0, a request of 5 bytes and a
        # TLV that runs past the body
        babel_frame([bytes([224, 23]) + struct.pack("!BB8sQI", 1, 0, ORIGIN, SEQNO, 1) + b"x",
                     bytes([225, 5]) + b"\x01" * 5, bytes([224, 200]) + b"\0" * 10]),
        # 12: Babel with one fragment of an item in two
        babel_frame(frags(sek)[:1]),
        # 13, 14: sealed packets cut by a snap length, in the tags and in
        # the header
        (eth(ip_udp(v4("192.0.2.1"), g, 5000, 5000, gem_payload(7, PN + 2, 20))), 14 + 28 + 20),
        (eth(ip_udp(v4("192.0.2.1"), g, 5000, 5000, gem_payload(7, PN + 3, 20))), 14 + 28 + 6),
    ]


results = []


def check(what, got, want):
    ok = got == want
    results.append(ok)
    print(("ok" if ok else "not ok") + " %d - gem.lua: %s" % (len(results), what))
    if not ok:
        print("#   got  %r\n#   want %r" % (got, want))


def tshark(cap, fields, *opts):
    cmd = ["tshark", "-n", "-X", "lua_script:" + LUA, "-r", cap, "-T", "fields",
           "-E", "occurrence=a", "-E", "aggregator=|"] + list(opts)
    for fl in fields:
        cmd += ["-e", fl]
    p = subprocess.run(cmd, capture_output=True, text=True)
    err = "\n".join(l for l in p.stderr.splitlines() if "Running as user" not in l)
    return p.returncode, err, [l.split("\t") for l in p.stdout.splitlines()]


def main():
    if not shutil.which("tshark"):
        print("1..0 # SKIP tshark is not installed")
        return 0
    print("TAP version 13")
    tmp = tempfile.mkdtemp()
    try:
        cap = os.path.join(tmp, "gem.pcap")
        write_pcap(cap, frames())
        fields = ["frame.number", "gem.version", "gem.key_id", "gem.pn", "gem.text_len",
                  "gem.group", "_ws.expert.message"]
        # The heuristic alone
        rc, err, rows = tshark(cap, fields)
        check("tshark exits 0 without a Lua error (heuristic)", (rc, err), (0, ""))
        byno = {int(r[0]): r for r in rows}
        check("IPv4 packets decoded", [byno[i][1:6] for i in (1, 2)],
              [["1", "7", str(PN), "20", "239.1.2.3"], ["1", "7", str(PN + 1), "0", "239.1.2.3"]])
        check("IPv6 packet decoded", byno[3][1:6], ["1", "3", str(PN), "100", "ff3e::4321"])
        check("the heuristic claims no malformed, ordinary or unicast packet",
              [byno[i][1] for i in range(4, 10)], [""] * 6)
        # Groups named: everything to them is GEM, malformed or not
        rc, err, rows = tshark(cap, fields, "-o", "gem.groups:239.1.0.0/16, ff3e::/16")
        check("tshark exits 0 (gem.groups)", (rc, err), (0, ""))
        byno = {int(r[0]): r for r in rows}
        check("well-formed packets still decoded", [byno[i][3] for i in (1, 2, 3)],
              [str(PN), str(PN + 1), str(PN)])
        want = ["header truncated: 5 of 10 bytes", "version 2, not 1", "flags set: 1",
                "packet number 2^64 - 1 is never valid"]
        check("malformed packets marked", [byno[i][6] for i in range(4, 8)], want)
        check("a group not named is not claimed", [byno[i][1] for i in (8, 9)], ["", ""])
        rc, err, rows = tshark(cap, ["frame.number"], "-o", "gem.groups:239.1.0.0/16",
                               "-Y", "gem.malformed")
        check("gem.malformed filters the malformed", [r[0] for r in rows], ["4", "5", "6", "7"])
        # A port named: unicast too
        rc, err, rows = tshark(cap, ["frame.number", "gem.key_id"], "-o", "gem.udp_ports:5000",
                               "-Y", "frame.number == 9")
        check("gem.udp_ports claims its port", (rc, rows), (0, [["9", "7"]]))
        rc, err, rows = tshark(cap, ["frame.number"], "-o", "gem.groups:239.1.0.0/40")
        check("a bad gem.groups is reported, not a crash", "not a group prefix" in err, True)
        for opts in ([], ["-o", "gem.groups:239.0.0.0/8,ff00::/8", "-o", "gem.udp_ports:1-65535"]):
            rc, err, rows = tshark(cap, ["frame.number", "_ws.expert.message"], "-Y", "_ws.lua.error", *opts)
            check("no Lua error while dissecting %s" % (" ".join(opts) or "(heuristic)"), (rc, rows), (0, []))
        # Babel
        bfields = ["frame.number", "babel.message.type", "gembabel.tlv", "gembabel.item.kind",
                   "gembabel.item.source", "gembabel.item.group", "gembabel.item.group6",
                   "gembabel.item.key_id", "gembabel.req.kind", "gembabel.req.all",
                   "gembabel.item.prefix_len", "_ws.expert.message"]
        rc, err, rows = tshark(cap, bfields, "-Y", "babel")
        check("tshark exits 0 (Babel)", (rc, err), (0, ""))
        byno = {int(r[0]): r for r in rows}
        r = byno[10]
        check("Babel's own TLVs still decoded", r[1].split("|")[0], "4")
        check("GEM TLVs recognised", r[2], "224|224|224|224|225|225")
        check("items decoded, the two-fragment one reassembled", r[3], "1|4|3")
        check("SEK Announce's stream and key ids", r[4:6] + [r[7]],
              ["192.0.2.1", "239.1.2.3", "9|8"])
        check("Subscription's IPv6 prefix", [r[6], r[10]], ["ff3e::", "16"])
        check("Requests", [r[8], r[9]], ["4", "1"])
        check("malformed GEM TLVs marked", byno[11][11].split("|"),
              ["fragment index 0 or count 0 out of range", "request of 5 bytes, neither 0, 9 nor 13",
               "TLV length 200 runs past the packet body"])
        rc, err, rows = tshark(cap, ["frame.number", "gem.key_id", "gem.pn", "gem.malformed",
                                     "_ws.expert.message"], "-o", "gem.groups:239.1.0.0/16",
                               "-Y", "frame.number >= 13")
        check("packets cut by the snap length: decoded as far as captured, not malformed",
              (rc, rows), (0, [["13", "7", str(PN + 2), "", ""],
                               ["14", "7", "", "", "the capture's snap length cut the header"]]))
        check("a lone fragment is noted, not decoded", (byno[12][3], "fragment 1 of 2" in byno[12][11]),
              ("", True))
    finally:
        shutil.rmtree(tmp)
    print("1..%d" % len(results))
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
