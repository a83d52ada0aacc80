// SPDX-License-Identifier: Apache-2.0
// What the kernel announces on RTNLGRP_LINK, RTNLGRP_IPV4_IFADDR and
// RTNLGRP_IPV6_IFADDR, as the one event the monitor acts on. Decoding is
// pure, unit-tested on bytes.
#pragma once

#include <linux/netlink.h>
#include <stdint.h>

#include "base/ip_address.h"
#include "base/mac.h"
#include "net/link.h"

namespace ipres {

// kClaimed: not from rtnetlink but from the claim watch (Host::WatchClaims):
// another host claimed `address` on the device `ifindex`. kWordChanged: not
// from rtnetlink either: some tag's last word was recorded (Host::LastWord
// tells which).
enum class NetEventKind {
  kTimeout,
  kAddressAdded,
  kAddressRemoved,
  kLinkChanged,
  kEventsLost,
  kClaimed,
  kWordChanged
};
struct NetEvent {
  NetEventKind kind = NetEventKind::kTimeout;
  int ifindex = 0;
  IpAddress address;   // address events
  uint8_t prefix = 0;  // address events
  // IPv6 address events: the kernel sends RTM_NEWADDR again whenever an
  // address's flags change, so an "added" may be DAD ending or failing.
  bool tentative = false;
  bool dad_failed = false;
  bool carrier = false;               // link events: up with carrier
  char device[kIfNameCapacity] = {};  // link events
  MacAddress claimant;                // kClaimed: the other host's MAC
};

// One message of an event datagram, as MessageReader hands it out: true
// with *ev filled for RTM_NEWADDR/RTM_DELADDR (AF_INET, AF_INET6) and
// RTM_NEWLINK/RTM_DELLINK; false for any other message or a malformed one.
bool DecodeNetEvent(const nlmsghdr* msg, NetEvent* ev);

}  // namespace ipres
