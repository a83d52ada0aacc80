// SPDX-License-Identifier: Apache-2.0
// The one event the monitor acts on: plain data, decoded by net/net_event.h
// from rtnetlink, made by the host's claim watch and word watch, read by
// the operations through the host's seams (which must not see net/).
#pragma once

#include <stdint.h>

#include "base/device_name.h"
#include "base/ip_address.h"
#include "base/mac.h"

namespace ipres {

// kClaimed: not from rtnetlink but from the claim watch (Probes::WatchClaims):
// another host claimed `address` on the device `ifindex`. kWordChanged: not
// from rtnetlink either: some tag's last word was recorded (TagStore::LastWord
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

}  // namespace ipres
