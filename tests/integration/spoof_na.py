#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Neighbor Discovery messages for a target address, crafted with scapy and
sent every 50 ms on a device (t_ndp.sh): the valid ones another holder of the
address would send, and spoofed or malformed ones that RFC 4861 7.1.1 and
7.1.2 say a node must drop.

usage: spoof_na.py DEV TARGET MODE_FILE READY_FILE

MODE_FILE holds a comma-separated list of modes, read again before each
round, so one scapy start serves a whole test; READY_FILE is written once
scapy has loaded. Runs until killed.
  silent       nothing
  valid        NA for TARGET to ff02::1, hop limit 255, Override, TLLA
  hlim64       the same NA with hop limit 64 (sent from off-link)
  code1        the same NA with ICMPv6 code 1
  short        an NA of 20 bytes (RFC 4861: 24 or more)
  badsum       the same NA with a wrong checksum
  solicited-mc the same NA with Solicited set, to a multicast destination
  other        a valid NA for TARGET + 1 (another address)
  probe        a DAD probe: NS from :: to TARGET's solicited-node group
  probe-hlim64 the same probe with hop limit 64
  probe-tlla   the same probe with a source link-layer address option,
               which RFC 4861 7.1.1 forbids when the source is ::
"""
import ipaddress
import sys
import time

from scapy.all import (ICMPv6ND_NA, ICMPv6ND_NS, ICMPv6NDOptDstLLAddr,
                       ICMPv6NDOptSrcLLAddr, Ether, IPv6, Raw, conf,
                       get_if_hwaddr, sendp)

ALL_NODES = "ff02::1"


def solicited_node(addr):
    low = int(ipaddress.IPv6Address(addr)) & 0xFFFFFF
    return str(ipaddress.IPv6Address(int(ipaddress.IPv6Address("ff02::1:ff00:0")) | low))


def multicast_mac(addr):
    low = ipaddress.IPv6Address(addr).packed[-4:]
    return "33:33:" + ":".join("%02x" % b for b in low)


def advert(mac, target, hlim=255, code=0, solicited=0, dst=ALL_NODES):
    return (Ether(src=mac, dst=multicast_mac(dst)) /
            IPv6(src=target, dst=dst, hlim=hlim) /
            ICMPv6ND_NA(code=code, R=0, S=solicited, O=1, tgt=target) /
            ICMPv6NDOptDstLLAddr(lladdr=mac))


def probe(mac, target, hlim=255, tlla=False):
    group = solicited_node(target)
    ns = ICMPv6ND_NS(tgt=target)
    if tlla:
        ns = ns / ICMPv6NDOptSrcLLAddr(lladdr=mac)
    return Ether(src=mac, dst=multicast_mac(group)) / IPv6(src="::", dst=group, hlim=hlim) / ns


def icmp6_checksum(src, dst, body):
    """RFC 8200's checksum of an ICMPv6 message over its pseudo-header."""
    blob = (ipaddress.IPv6Address(src).packed + ipaddress.IPv6Address(dst).packed +
            len(body).to_bytes(4, "big") + b"\0\0\0\x3a" + bytes(body))
    if len(blob) % 2:
        blob += b"\0"
    total = sum((blob[i] << 8) | blob[i + 1] for i in range(0, len(blob), 2))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return (~total) & 0xFFFF


# Where the ICMPv6 checksum sits in an Ethernet frame without extension headers.
CHECKSUM_OFFSET = 14 + 40 + 2


def build(mode, mac, target):
    """The frame MODE sends, as bytes."""
    if mode == "valid":
        return bytes(advert(mac, target))
    if mode == "hlim64":
        return bytes(advert(mac, target, hlim=64))
    if mode == "code1":
        return bytes(advert(mac, target, code=1))
    if mode == "short":
        # Type 136, code 0, checksum, flags (Override) and 12 of the target's 16 bytes.
        body = bytearray(b"\x88\x00\x00\x00\x20\x00\x00\x00" +
                         ipaddress.IPv6Address(target).packed[:12])
        body[2:4] = icmp6_checksum(target, ALL_NODES, body).to_bytes(2, "big")
        return bytes(Ether(src=mac, dst=multicast_mac(ALL_NODES)) /
                     IPv6(src=target, dst=ALL_NODES, hlim=255, nh=58) / Raw(bytes(body)))
    if mode == "badsum":
        frame = bytearray(bytes(advert(mac, target)))
        frame[CHECKSUM_OFFSET] ^= 0x55
        return bytes(frame)
    if mode == "solicited-mc":
        return bytes(advert(mac, target, solicited=1))
    if mode == "other":
        return bytes(advert(mac, str(ipaddress.IPv6Address(target) + 1)))
    if mode == "probe":
        return bytes(probe(mac, target))
    if mode == "probe-hlim64":
        return bytes(probe(mac, target, hlim=64))
    if mode == "probe-tlla":
        return bytes(probe(mac, target, tlla=True))
    raise SystemExit("spoof_na.py: unknown mode " + mode)


def main():
    if len(sys.argv) != 5:
        raise SystemExit(__doc__)
    dev, target, mode_file, ready = sys.argv[1:]
    conf.verb = 0
    mac = get_if_hwaddr(dev)
    frames = {}
    with open(ready, "w") as f:
        f.write("loaded\n")
    while True:
        try:
            with open(mode_file) as f:
                modes = f.read().split()
        except OSError:
            modes = []
        for mode in ",".join(modes).split(","):
            if mode in ("", "silent"):
                continue
            if mode not in frames:
                frames[mode] = build(mode, mac, target)
            sendp(Raw(frames[mode]), iface=dev)
        time.sleep(0.05)


if __name__ == "__main__":
    main()
