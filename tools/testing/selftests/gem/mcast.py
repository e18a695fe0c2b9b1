#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Multicast test peer for the GEM selftests.

  mcast.py send IFNAME GROUP PORT COUNT PREFIX [INTERVAL]
                                                 datagrams "PREFIX NNNNNN ..." out of IFNAME,
                                                 INTERVAL seconds apart, each also printed
  mcast.py send-from IFNAME SOURCE GROUP[,GROUP...] PORT PREFIX
                                                 one datagram to each GROUP from SOURCE,
                                                 which need not be an address of the host
                                                 (IPV6_FREEBIND, as any user may)
  mcast.py send-burst IFNAME GROUP PORT COUNT SIZE PREFIX
                                                 COUNT datagrams of SIZE bytes, back to back
  mcast.py send-gso IFNAME GROUP PORT SEGS SIZE PREFIX
                                                 one UDP GSO send of SEGS datagrams
  mcast.py recv IFNAME GROUP PORT COUNT TIMEOUT  joins GROUP on IFNAME, prints what arrives
  mcast.py recv-from IFNAME GROUP PORT COUNT TIMEOUT
                                                 the same, each line led by the source address
  mcast.py inject IFNAME PCAP MODE               resends captured frames on IFNAME:
                                                 MODE is as-is, timed (at the pace
                                                 recorded), flip, truncate (to 30
                                                 bytes of UDP payload) or
                                                 truncate-header (to 5)
  mcast.py payloads PCAP PORT                    the UDP payloads to PORT in a capture of
                                                 Ethernet frames (IPv4, IPv6), in hex
  mcast.py send-raw IFNAME GROUP PROTO COUNT PREFIX
                                                 IPv4 datagrams of IP protocol PROTO
  mcast.py recv-raw IFNAME GROUP PROTO COUNT TIMEOUT
                                                 a raw socket of PROTO bound to IFNAME,
                                                 joined to GROUP; prints each payload
  mcast.py hold IFNAME STOPFILE MARKER           a packet socket on IFNAME that reads
                                                 nothing until STOPFILE exists (60 s
                                                 at most), so the kernel's
                                                 clones of what arrives wait in its
                                                 queue, then reads them all; prints
                                                 "frames N merged M marker K": how many,
                                                 how many longer than 1514 bytes, how
                                                 many hold MARKER

recv prints one line per datagram (its payload, which is text) and stops
after COUNT datagrams or TIMEOUT seconds of silence (recv-raw too). With
$MCAST_WAIT_FIRST=N it waits up to N seconds for the first datagram or for
SIGUSR1 (the test's word that the sender is done), and only then counts
TIMEOUT seconds of silence: the time a sender takes to start (seconds
under emulation with KASAN) is not silence. send uses a TTL (hop
limit) of 8, or $MCAST_TTL.
"""

import os
import signal
import socket
import struct
import sys
import time


def family_of(group):
    return socket.AF_INET6 if ":" in group else socket.AF_INET


def send(ifname, group, port, count, prefix, interval=0.0):
    fam = family_of(group)
    ttl = int(os.environ.get("MCAST_TTL", "8"))
    s = socket.socket(fam, socket.SOCK_DGRAM)
    ifindex = socket.if_nametoindex(ifname)
    if fam == socket.AF_INET:
        s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF,
                     struct.pack("=4s4si", b"\0" * 4, b"\0" * 4, ifindex))
        s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, ttl)
        s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_LOOP, 0)
    else:
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_IF, ifindex)
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_HOPS, ttl)
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_LOOP, 0)
    for i in range(count):
        # Sizes vary so short and long payloads both cross.
        body = f"{prefix} {i:06d} " + "x" * ((i * 37) % 1300)
        s.sendto(body.encode(), (group, port))
        print(body, flush=bool(interval))     # paced: a reader follows its progress
        if interval:
            time.sleep(interval)


def send_from(ifname, source, groups, port, prefix):
    fam = family_of(source)
    s = socket.socket(fam, socket.SOCK_DGRAM)
    ifindex = socket.if_nametoindex(ifname)
    if fam == socket.AF_INET6:
        s.setsockopt(socket.IPPROTO_IPV6, 78, 1)     # IPV6_FREEBIND
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_IF, ifindex)
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_HOPS, 8)
        s.bind((source, 0))
    else:
        s.setsockopt(socket.IPPROTO_IP, 15, 1)       # IP_FREEBIND
        s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF,
                     struct.pack("=4s4si", b"\0" * 4, b"\0" * 4, ifindex))
        s.bind((source, 0))
    for g in groups.split(","):
        s.sendto(f"{prefix} {g}".encode(), (g, port))
        print(f"{prefix} {g}")


def send_burst(ifname, group, port, count, size, prefix):
    """Datagrams of one size, as fast as they go: what GRO merges."""
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF,
                 struct.pack("=4s4si", b"\0" * 4, b"\0" * 4, socket.if_nametoindex(ifname)))
    s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 8)
    out = []
    for i in range(count):
        body = f"{prefix} {i:06d} ".encode().ljust(size, b"b")
        s.sendto(body, (group, port))
        out.append(body.decode())
    print("\n".join(out))


def send_gso(ifname, group, port, segments, size, prefix):
    """One sendmsg of segments * size bytes that UDP GSO splits in the kernel."""
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF,
                 struct.pack("=4s4si", b"\0" * 4, b"\0" * 4, socket.if_nametoindex(ifname)))
    s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 8)
    s.setsockopt(socket.SOL_UDP, 103, size)     # UDP_SEGMENT
    body = b"".join(f"{prefix} {i:06d} ".encode().ljust(size, b"g") for i in range(segments))
    s.sendto(body, (group, port))
    for i in range(segments):
        print(body[i * size:(i + 1) * size].decode())


def arrivals(s, timeout, count):
    """Says "ready", then yields up to COUNT (data, address) from socket S
    until TIMEOUT s of silence. The silence is counted from the last
    datagram or from SIGUSR1 ("the sender is done"); before either, from
    "ready" for $MCAST_WAIT_FIRST seconds (TIMEOUT unless set): a sender
    still starting is not silence."""
    deadline = [time.monotonic() + float(os.environ.get("MCAST_WAIT_FIRST", timeout))]

    def sender_done(signum, frame):
        deadline[0] = time.monotonic() + timeout
    signal.signal(signal.SIGUSR1, sender_done)
    print("ready", file=sys.stderr, flush=True)
    got = 0
    while got < count:
        left = deadline[0] - time.monotonic()
        if left <= 0:
            return
        s.settimeout(min(left, 0.25))
        try:
            data, addr = s.recvfrom(65535)
        except socket.timeout:
            continue
        deadline[0] = time.monotonic() + timeout
        got += 1
        yield data, addr


def recv(ifname, group, port, count, timeout, source=False):
    fam = family_of(group)
    s = socket.socket(fam, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # Only what arrives on IFNAME: Linux otherwise hands a socket bound to
    # the wildcard every group the host joined anywhere (IP_MULTICAST_ALL).
    s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, ifname.encode())
    # Room for a burst while python catches up (SO_RCVBUFFORCE: root only).
    try:
        s.setsockopt(socket.SOL_SOCKET, 33, 8 << 20)    # SO_RCVBUFFORCE
    except OSError:
        pass
    ifindex = socket.if_nametoindex(ifname)
    if fam == socket.AF_INET:
        s.bind(("0.0.0.0", port))
        s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP,
                     struct.pack("=4s4si", socket.inet_aton(group), b"\0" * 4, ifindex))
    else:
        s.bind(("::", port))
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_JOIN_GROUP,
                     socket.inet_pton(socket.AF_INET6, group) + struct.pack("=I", ifindex))
    for data, addr in arrivals(s, timeout, count):
        if source:
            sys.stdout.write(addr[0] + " ")
        sys.stdout.write(data.decode(errors="replace") + "\n")
        sys.stdout.flush()


def inject(ifname, pcap, mode):
    data = open(pcap, "rb").read()
    magic = struct.unpack("<I", data[:4])[0]
    endian = "<" if magic in (0xa1b2c3d4, 0xa1b23c4d) else ">"
    off = 24
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((ifname, 0))
    sent = 0
    first = start = None
    while off + 16 <= len(data):
        sec, usec, caplen, _ = struct.unpack(endian + "IIII", data[off:off + 16])
        if mode == "timed":
            # At the pace recorded, as an attacker replaying a capture would.
            t = sec + usec / 1e6
            if first is None:
                first, start = t, time.monotonic()
            delay = (t - first) - (time.monotonic() - start)
            if delay > 0:
                time.sleep(delay)
        frame = bytearray(data[off + 16:off + 16 + caplen])
        off += 16 + caplen
        if mode == "flip":
            frame[len(frame) // 2 + 20] ^= 0x80     # inside the ciphertext
        elif mode in ("truncate", "truncate-header"):
            # Cut the frame and its IP and UDP lengths to 30 bytes of
            # payload (a GEM header without its tags), or 5 (half a header).
            keep = 30 if mode == "truncate" else 5
            v4 = frame[12:14] == b"\x08\x00"
            l3 = 14
            l4 = l3 + (20 if v4 else 40)
            frame = frame[:l4 + 8 + keep]
            struct.pack_into("!H", frame, l4 + 4, 8 + keep)
            struct.pack_into("!H", frame, l4 + 6, 0)
            if v4:
                struct.pack_into("!H", frame, l3 + 2, len(frame) - l3)
                struct.pack_into("!H", frame, l3 + 10, 0)
                hdr = frame[l3:l3 + 20]
                csum = sum(struct.unpack("!10H", hdr))
                while csum >> 16:
                    csum = (csum & 0xffff) + (csum >> 16)
                struct.pack_into("!H", frame, l3 + 10, ~csum & 0xffff)
            else:
                struct.pack_into("!H", frame, l3 + 4, len(frame) - l4)
        s.send(bytes(frame))
        sent += 1
    print(sent)


def frames(pcap):
    data = open(pcap, "rb").read()
    magic = struct.unpack("<I", data[:4])[0]
    endian = "<" if magic in (0xa1b2c3d4, 0xa1b23c4d) else ">"
    off = 24
    while off + 16 <= len(data):
        _, _, caplen, _ = struct.unpack(endian + "IIII", data[off:off + 16])
        yield data[off + 16:off + 16 + caplen]
        off += 16 + caplen


def payloads(pcap, port):
    for f in frames(pcap):
        etype = struct.unpack("!H", f[12:14])[0]
        if etype == 0x0800 and f[23] == 17:
            l4 = 14 + (f[14] & 0x0f) * 4
        elif etype == 0x86dd and f[20] == 17:
            l4 = 14 + 40
        else:
            continue
        if struct.unpack("!H", f[l4 + 2:l4 + 4])[0] == port:
            print(f[l4 + 8:].hex())


def send_raw(ifname, group, proto, count, prefix):
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, proto)
    s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF,
                 struct.pack("=4s4si", b"\0" * 4, b"\0" * 4, socket.if_nametoindex(ifname)))
    s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 8)
    for i in range(count):
        body = f"{prefix} {i:06d}"
        s.sendto(body.encode(), (group, 0))
        print(body)


def recv_raw(ifname, group, proto, count, timeout):
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, proto)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, ifname.encode())
    s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP,
                 struct.pack("=4s4si", socket.inet_aton(group), b"\0" * 4,
                             socket.if_nametoindex(ifname)))
    for data, _ in arrivals(s, timeout, count):
        ihl = (data[0] & 0x0f) * 4      # a raw IPv4 socket gets the IP header too
        sys.stdout.write(data[ihl:].decode(errors="replace") + "\n")
        sys.stdout.flush()


def hold(ifname, stopfile, marker):
    """A packet socket that holds the clones of what arrives, then reads them."""
    import select
    import time
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0003))  # ETH_P_ALL
    try:
        s.setsockopt(socket.SOL_SOCKET, 33, 64 << 20)    # SO_RCVBUFFORCE
    except OSError:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 64 << 20)
    s.bind((ifname, 0))
    print("ready", file=sys.stderr, flush=True)
    for _ in range(600):
        if os.path.exists(stopfile):
            break
        time.sleep(0.1)
    frames = merged = found = 0
    while select.select([s], [], [], 0)[0]:
        data = s.recv(1 << 17)
        frames += 1
        merged += len(data) > 1514
        found += marker.encode() in data
    print(f"frames {frames} merged {merged} marker {found}")


def main():
    cmd = sys.argv[1]
    if cmd == "send":
        send(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), sys.argv[6],
             float(sys.argv[7]) if len(sys.argv) > 7 else 0.0)
    elif cmd == "send-from":
        send_from(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]), sys.argv[6])
    elif cmd == "send-burst":
        send_burst(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]),
                   int(sys.argv[6]), sys.argv[7])
    elif cmd == "send-gso":
        send_gso(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]),
                 int(sys.argv[6]), sys.argv[7])
    elif cmd in ("recv", "recv-from"):
        recv(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), float(sys.argv[6]),
             cmd == "recv-from")
    elif cmd == "inject":
        inject(sys.argv[2], sys.argv[3], sys.argv[4])
    elif cmd == "payloads":
        payloads(sys.argv[2], int(sys.argv[3]))
    elif cmd == "send-raw":
        send_raw(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), sys.argv[6])
    elif cmd == "hold":
        hold(sys.argv[2], sys.argv[3], sys.argv[4])
    elif cmd == "recv-raw":
        recv_raw(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]),
                 float(sys.argv[6]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    try:
        main()
    except OSError as e:  # a refusal the test expects: one line, no traceback
        sys.exit(f"mcast.py {sys.argv[1]}: {e.strerror or e}")
