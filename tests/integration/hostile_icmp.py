#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Answers the echo requests that PINGER sends on eth0 with crafted replies.

Run inside a peer namespace whose kernel ignores echo requests
(net.ipv4.icmp_echo_ignore_all=1), so every answer is one of ours. Before each
ping the test writes a mode into MODE_FILE; the reply to each request is built
for the mode read at that moment:

  good      a correct echo reply (the control: proves the responder works)
  wrongid   identifier changed
  badsum    ICMP checksum off by one bit
  truncated an ICMP message of 6 bytes: no sequence number, no payload
  request   an echo request (type 8) with the right identifier and sequence
  otherseq  a sequence number that was never sent
  silent    nothing

Frames go out at layer 2 so nothing in them is fixed up by the kernel.
Usage: hostile_icmp.py PINGER_ADDR OWN_ADDR MODE_FILE READY_FILE
"""
import sys

from scapy.all import ICMP, IP, Ether, Raw, conf, get_if_hwaddr, sendp, sniff

pinger, own, mode_file, ready_file = sys.argv[1:5]
conf.verb = 0
IFACE = "eth0"
own_mac = get_if_hwaddr(IFACE)


def reply_for(mode, req_ip, req):
    ident, seq, data = req.id, req.seq, bytes(req.payload)
    ip = IP(src=own, dst=req_ip.src, ttl=64, proto=1)
    if mode == "good":
        return ip / ICMP(type=0, id=ident, seq=seq) / Raw(data)
    if mode == "wrongid":
        return ip / ICMP(type=0, id=ident ^ 0x5555, seq=seq) / Raw(data)
    if mode == "badsum":
        good = ICMP(bytes(ICMP(type=0, id=ident, seq=seq) / Raw(data)))
        return ip / ICMP(type=0, id=ident, seq=seq, chksum=good.chksum ^ 0x0001) / Raw(data)
    if mode == "truncated":
        return ip / Raw(bytes(ICMP(type=0, id=ident, seq=seq) / Raw(data))[:6])
    if mode == "request":
        return ip / ICMP(type=8, id=ident, seq=seq) / Raw(data)
    if mode == "otherseq":
        return ip / ICMP(type=0, id=ident, seq=(seq + 100) & 0xFFFF) / Raw(data)
    return None


def answer(pkt):
    if not (pkt.haslayer(ICMP) and pkt.haslayer(IP)):
        return
    req_ip, req = pkt[IP], pkt[ICMP]
    if req.type != 8 or req_ip.src != pinger or pkt[Ether].src == own_mac:
        return
    with open(mode_file) as f:
        mode = f.read().strip()
    out = reply_for(mode, req_ip, req)
    if out is not None:
        sendp(Ether(src=own_mac, dst=pkt[Ether].src) / out, iface=IFACE)


def ready():
    with open(ready_file, "w") as f:
        f.write("ready\n")


sniff(iface=IFACE, prn=answer, store=False, started_callback=ready)
