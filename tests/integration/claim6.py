#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""IPv6 claims and probes for one address, crafted with scapy and sent on
command (t_conflict6.sh): another host announcing the address as its own,
or probing for it. The frames are spoof_na.py's "valid" and "probe".

usage: claim6.py DEV TARGET FIFO READY_FILE

Reads commands from FIFO, one a line, and sends one frame for each; READY_FILE
is written once scapy has loaded and the FIFO is open. "quit" ends it.
  na    an unsolicited Neighbor Advertisement for TARGET to ff02::1 from
        DEV's MAC: hop limit 255, Override set, DEV's MAC as target
        link-layer address (RFC 4861 7.2.6), as a holder announcing it sends
  dad   a duplicate-address probe for TARGET: Neighbor Solicitation from ::
        to TARGET's solicited-node group (RFC 4862 5.4.2)
Any other command is one of spoof_na.py's modes (hlim64, code1, short,
badsum, solicited-mc, other, ...): an NA that RFC 4861 7.1.2 says to drop,
or one for another address.
"""
import os
import sys

from scapy.all import Raw, conf, get_if_hwaddr

from spoof_na import build


def main():
    if len(sys.argv) != 5:
        raise SystemExit(__doc__)
    dev, target, fifo, ready = sys.argv[1:]
    conf.verb = 0
    mac = get_if_hwaddr(dev)
    aliases = {"na": "valid", "dad": "probe"}
    frames = {}
    sock = conf.L2socket(iface=dev)
    # Read and write: the FIFO never reads as ended between two writers.
    fd = os.open(fifo, os.O_RDWR)
    with open(ready, "w") as f:
        f.write("loaded\n")
    pending = b""
    while True:
        data = os.read(fd, 4096)
        pending += data
        while b"\n" in pending:
            line, pending = pending.split(b"\n", 1)
            command = line.decode().strip()
            if command == "quit":
                return
            mode = aliases.get(command, command)
            if mode not in frames:
                frames[mode] = build(mode, mac, target)
            sock.send(Raw(frames[mode]))


if __name__ == "__main__":
    main()
