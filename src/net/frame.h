// SPDX-License-Identifier: Apache-2.0
// Ethernet frames as a packet socket hands them over: the header, and at most
// one 802.1Q or 802.1ad tag still inside the frame (a VLAN made with
// `reorder_hdr off` delivers its frames so). Every ARP and NDP reader goes
// through here, so each reads through a tag the same way.
#pragma once

#include <errno.h>
#include <linux/if_packet.h>
#include <stddef.h>
#include <stdint.h>

#include "base/mac.h"

namespace ipres {

constexpr size_t kEthernetHeaderSize = 14;
constexpr size_t kVlanTagSize = 4;
constexpr uint16_t kEthertypeVlan = 0x8100;  // 802.1Q
constexpr uint16_t kEthertypeQinQ = 0x88a8;  // 802.1ad
constexpr uint16_t kEthertypeArp = 0x0806;
constexpr uint16_t kEthertypeIpv6 = 0x86dd;

struct EthernetFrame {
  MacAddress destination;
  MacAddress source;
  // The payload's type: the inner one behind a tag.
  uint16_t ethertype = 0;
  bool tagged = false;
  const uint8_t* payload = nullptr;
  size_t payload_len = 0;
};

// Splits `frame` into its header and payload; with `allow_tag`, through one
// 802.1Q/802.1ad tag (a second tag is refused: no device of this node is a
// VLAN on a VLAN's frames here). False when the frame is shorter than its
// headers, or tagged while `allow_tag` is false.
bool ParseEthernetFrame(const uint8_t* frame, size_t len, bool allow_tag, EthernetFrame* out);

// A packet socket bound to a device that goes down (or away) keeps that as
// a pending error, returned once by its next receive (ENETDOWN, ENXIO),
// however long ago it happened; the socket hears the device again once it
// is up. So every reader of a kept packet socket reads past it.
inline bool IsDeviceDownError(int err) {
  return err == ENETDOWN || err == ENXIO;
}

// A frame the link delivered to this node, by the packet type a packet
// socket gives it (sockaddr_ll's sll_pkttype): host, broadcast or multicast.
// Not this node's own going out, nor a frame for another MAC, which a
// device in promiscuous mode (a capture, a bridge's port) hands up as
// PACKET_OTHERHOST, as the kernel does a frame of a VLAN the node has no
// device for; the kernel's own ARP ignores those too.
inline bool DeliveredToThisNode(uint8_t pkttype) {
  return pkttype == PACKET_HOST || pkttype == PACKET_BROADCAST || pkttype == PACKET_MULTICAST;
}

// Writes an untagged header (kEthernetHeaderSize bytes) for a frame this node
// sends: a packet socket bound to a VLAN device adds the tag itself.
void PutEthernetHeader(const MacAddress& destination, const MacAddress& source, uint16_t ethertype,
                       uint8_t* frame);

}  // namespace ipres
