// SPDX-License-Identifier: Apache-2.0
// The seam through which the operations see and change the link, its
// addresses, its routes and its neighbours. Declares no socket: SystemHost
// (system_link_config.cc) implements it over net/; unit tests fake it.
#pragma once

#include <stdint.h>

#include "base/address_types.h"
#include "base/ip_address.h"
#include "base/status.h"

namespace ipres {

struct LinkState {
  int ifindex = 0;
  bool admin_up = false;  // IFF_UP
  // IFF_UP and IFF_RUNNING (operational per RFC 2863: operstate UP or
  // UNKNOWN), not IFF_LOWER_UP (the driver's L1 signal alone); iproute2
  // prints NO-CARRIER for up without IFF_RUNNING.
  bool carrier = false;
};

class LinkConfig {
 public:
  // Link. A missing device is an error (ENODEV).
  virtual Result<LinkState> GetLink(const char* device) = 0;
  virtual Status SetLinkUp(const char* device, bool up) = 0;
  // True as soon as the device is up with carrier; false when timeout_ms ran out.
  virtual Result<bool> WaitForCarrier(const char* device, uint32_t timeout_ms) = 0;
  // The device a macvlan (keepalived's VMAC) sits on: true with its name in
  // `base` (kIfNameCapacity bytes); false when `device` is no macvlan.
  virtual Result<bool> GetMacvlanBase(const char* device, char* base) = 0;

  // Hands the visitor every address of family af (AF_INET, AF_INET6) of one
  // device, or of the whole node when device is nullptr, one at a time as
  // the kernel's dump delivers them.
  virtual Status VisitAddresses(int af, const char* device, AddressVisitor& visitor) = 0;
  // An IPv4 address with its subnet's broadcast; an IPv6 one without DAD,
  // preferred or deprecated as `use` says.
  virtual Status AddAddress(const char* device, const IpAddress& address, uint8_t prefix,
                            SourceUse use) = 0;
  // An IPv6 address already there made preferred or deprecated, as
  // AddAddress would have added it.
  virtual Status ReplaceAddress(const char* device, const IpAddress& address, uint8_t prefix,
                                SourceUse use) = 0;
  virtual Status DeleteAddress(const char* device, const IpAddress& address, uint8_t prefix) = 0;

  virtual Status FlushNeighbours(const char* device) = 0;

  // Routes: the connected subnet route's preferred source (unspecified: none).
  virtual Status SetRouteSource(const char* device, const IpAddress& network, uint8_t prefix,
                                const IpAddress& source) = 0;
  // That route's preferred source (unspecified: none); ESRCH without the route.
  virtual Result<IpAddress> GetRouteSource(const char* device, const IpAddress& network,
                                           uint8_t prefix) = 0;
  // Recreates the connected subnet route with `source` when the device has
  // none (the kernel drops it with the address that was its source).
  virtual Status EnsureSubnetRoute(const char* device, const IpAddress& network, uint8_t prefix,
                                   const IpAddress& source) = 0;
  // Deletes the local host route of an address if the kernel left it behind.
  virtual Status DeleteHostRoute(const char* device, const IpAddress& address) = 0;
  // Best effort, as the spec says: the route cache of af.
  virtual void FlushRouteCache(int af) = 0;

 protected:
  ~LinkConfig() = default;
};

}  // namespace ipres
